/**
 * `npm run soak -- --minutes N [--concurrency C] [--households H]`: starts the platform (on
 * PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, embedded otherwise) in a fresh data
 * folder and database prefix, sends it mixed traffic on loopback for N minutes with a fixed
 * number of workers, and reports requests/s, p50/p99 latency, errors by code and memory growth.
 *
 * The mix: reads under a consent (a household across departments, a batch of persons), denials
 * (no consent, a purpose the department may not use, no token), bad inputs (malformed id, broken
 * JSON, an over-deep query), and writes (recordFeedback, with retries of the same idempotency key)
 * where the assistance department has them. Rate limits are off unless RATE_LIMIT_* are set: the
 * soak measures the platform, not the limiter.
 *
 * `--processes` runs the production topology instead (bin/soak-processes.ts: each department and
 * the gateway in its own process, embedded storage) and measures each process alone;
 * `--gateway-node-flags=F` sets the gateway's Node flags there (default: none, as `npm run gateway`).
 * `--snapshots DIR` writes a heap snapshot of each measured process (or only `--snapshot-of NAME`)
 * after warm-up and at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config.ts';
import { dropPostgresSchema } from '../lib/db.ts';
import { issueConsentToken, issueDepartmentToken } from '../lib/identity/dev-tokens.ts';
import { SUBGRAPHS } from '../schema/catalogue.ts';
import { readSupergraph } from '../schema/compose.ts';
import { HOUSEHOLD_QUERY } from '../gateway/sample-query.ts';
import { sampleHouseholds } from '../subgraphs/household/sample.ts';
import { AUDIT_DATABASE } from '../gateway/audit/index.ts';
import { fail, parse } from './cli.ts';
import { MemoryRecord } from './soak-memory.ts';
import { startSoakTarget } from './soak-targets.ts';

const { values } = parse(
  {
    minutes: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    households: { type: 'string', default: '2000' },
    processes: { type: 'boolean', default: false },
    'gateway-node-flags': { type: 'string', default: '' },
    snapshots: { type: 'string' },
    'snapshot-of': { type: 'string' },
  },
  'npm run soak -- --minutes N [--concurrency C] [--households H] [--processes [--gateway-node-flags=F]] [--snapshots DIR [--snapshot-of NAME]]',
);
const minutes = Number(values.minutes);
const concurrency = Number(values.concurrency);
if (!(minutes > 0 && minutes <= 240)) fail('--minutes must be more than 0 and at most 240');
if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256))
  fail('--concurrency must be a whole number from 1 to 256');

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gd-soak-'));
const databasePrefix = `soak${process.pid}_`;
if (values.processes && process.env.DATABASE_URL)
  fail('--processes runs on embedded storage: departments run alone use unprefixed schema names');
const settings = {
  RATE_LIMIT_PER_CLIENT: '0',
  RATE_LIMIT_PER_DEPARTMENT: '0',
  LOG_LEVEL: 'warn',
  ...process.env,
  NODE_ENV: 'development',
  HOST: '127.0.0.1', // loopback only
  DATA_DIR: dataDir,
  SEED_HOUSEHOLDS: String(values.households),
};
const config = loadConfig(settings);
console.log(
  `soak: ${minutes} min, ${concurrency} workers, ${config.seedHouseholds} households, ` +
    `${config.databaseUrl ? 'PostgreSQL' : 'SQLite'} + ${config.redisUrl ? 'Redis' : 'memory store'}` +
    (values.processes
      ? `, one process each (gateway: node ${values['gateway-node-flags'] || 'without flags'})`
      : ''),
);

const target = await startSoakTarget({
  config,
  env: { ...process.env, ...settings },
  databasePrefix,
  processes: values.processes ? { gatewayNodeFlags: values['gateway-node-flags']! } : undefined,
});
const url = target.url;
const samples = await sampleHouseholds(target.household, 50);
const hasWrites = readSupergraph().includes('recordFeedback(');

const token = (dept: string) => issueDepartmentToken(dataDir, { dept, sub: `soak-${dept}` });
const caseworker = {
  authorization: `Bearer ${await token('civil-affairs')}`,
  'x-operator-id': 'soak-officer',
};
const housing = {
  authorization: `Bearer ${await token('housing')}`,
  'x-operator-id': 'soak-officer',
};
const consents = await Promise.all(
  samples.map((s) =>
    issueConsentToken(dataDir, {
      household: s.household,
      subjects: s.members,
      grantees: ['civil-affairs'],
      purpose: 'tekun',
    }),
  ),
);

interface Request {
  kind: string;
  body: string;
  headers: Record<string, string>;
}
let writes = 0;
let lastWrite: Request | undefined;
/** One request of the mix, chosen by a counter (deterministic proportions). */
function next(n: number): Request {
  const i = n % samples.length;
  const s = samples[i]!;
  const json = (kind: string, body: unknown, headers: Record<string, string>) => ({
    kind,
    body: JSON.stringify(body),
    headers,
  });
  const withConsent = { ...caseworker, 'x-purpose': 'tekun', 'x-consent-token': consents[i]! };
  switch (n % 10) {
    case 0:
    case 1:
    case 2:
      return json(
        'read-household',
        { query: HOUSEHOLD_QUERY, variables: { id: s.household } },
        withConsent,
      );
    case 3:
      return json(
        'read-persons',
        {
          query:
            'query P($ids: [ID!]!) { persons(ids: $ids) { name birthDate employment { status } } }',
          variables: { ids: s.members },
        },
        withConsent,
      );
    case 4:
      return json(
        'denied-no-consent',
        { query: HOUSEHOLD_QUERY, variables: { id: s.household } },
        { ...caseworker, 'x-purpose': 'dibao' },
      );
    case 5:
      return json(
        'denied-purpose',
        { query: HOUSEHOLD_QUERY, variables: { id: s.household } },
        { ...housing, 'x-purpose': 'tekun' },
      );
    case 6:
      return n % 20 === 6
        ? json('bad-id', { query: 'query { person(id: "12345") { name } }' }, withConsent)
        : { kind: 'bad-json', body: '{"query": ', headers: caseworker };
    case 7:
      return n % 20 === 7
        ? json('no-token', { query: HOUSEHOLD_QUERY, variables: { id: s.household } }, {})
        : json(
            'too-deep',
            {
              query: `{ household(id: "${s.household}") { head { household { head { household { head { household { head { household { head { household { id } } } } } } } } } } } }`,
            },
            caseworker,
          );
    default: {
      // One write in four is an exact retry of the previous one: it must not create a second record.
      if (hasWrites && n % 4 === 0 && lastWrite) return { ...lastWrite, kind: 'write-retry' };
      if (!hasWrites)
        return json(
          'read-household',
          { query: HOUSEHOLD_QUERY, variables: { id: s.household } },
          withConsent,
        );
      lastWrite = json(
        'write-feedback',
        {
          query:
            'mutation F($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id } }',
          variables: {
            input: {
              idempotencyKey: `soak-${process.pid}-${++writes}`,
              household: s.household,
              action: 'RENT_SUBSIDY_GRANTED',
              amount: 300,
              effectiveOn: '2026-07-01',
            },
          },
        },
        { ...housing, 'x-purpose': 'housing-assistance' },
      );
      return lastWrite;
    }
  }
}

const latencies: number[] = [];
const codes = new Map<string, number>();
const kinds = new Map<string, number>();
const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
let sent = 0;
const started = Date.now();
const memory = new MemoryRecord(target.measured, {
  dir: values.snapshots,
  only: values['snapshot-of'],
});
await memory.start(minutes * 60_000);
const deadline = started + minutes * 60_000;

async function worker(): Promise<void> {
  while (Date.now() < deadline) {
    const request = next(sent++);
    count(kinds, request.kind);
    const t0 = performance.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: request.body,
      });
      const text = await response.text();
      latencies.push(performance.now() - t0);
      const errors = (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors;
      if (!errors) count(codes, `ok (${response.status})`);
      for (const code of new Set((errors ?? []).map((e) => e.extensions?.code ?? 'NONE')))
        count(codes, `${code} (${response.status})`);
    } catch (error) {
      count(codes, `transport: ${(error as Error).message}`);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (Date.now() - started) / 1000;
await memory.stop();
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
const records = await target.accessRecords();

console.log(
  `\nrequests: ${latencies.length} in ${seconds.toFixed(0)} s = ${(latencies.length / seconds).toFixed(1)} requests/s`,
);
console.log(
  `latency: p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
);
for (const line of memory.report()) console.log(line);
console.log(`access records written: ${records}`);
const load = os.loadavg().map((l) => l.toFixed(1));
console.log(`machine load average (1/5/15 min): ${load.join(' / ')} on ${os.cpus().length} cores`);
console.log('mix:', Object.fromEntries([...kinds].sort()));
console.log('answers by code (HTTP status):');
for (const [code, n] of [...codes].sort((a, b) => b[1] - a[1]))
  console.log(`  ${code.padEnd(40)} ${n}`);

await target.close();
rmSync(dataDir, { recursive: true, force: true });
if (config.databaseUrl) {
  for (const name of [...SUBGRAPHS.map((s) => s.name), AUDIT_DATABASE])
    await dropPostgresSchema(config.databaseUrl, `${databasePrefix}${name}`);
}
