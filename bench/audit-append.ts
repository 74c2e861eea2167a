/**
 * `npx tsx bench/audit-append.ts [--postgres] [--records N] [--shape write] [--groups 1,4,16]
 * [--prefill N]`: what appending access records costs the gateway's CPU, per record, for the three
 * workloads' record shapes and group sizes 1, 4 and 16, on a new access log (embedded SQLite under
 * a temporary directory, or a PostgreSQL schema that is dropped after; there the server's
 * processes' CPU too). `--prefill` appends that many records of the shape first, unmeasured: on
 * PostgreSQL each subject row lands on a random page of the subject index, so what a record costs
 * depends on how large the index already is (a benchmark run's log reaches a million subject
 * rows); embedded SQLite's FTS5 index should not grow so (subject-index.ts). Wall time is
 * printed as well: on SQLite it includes the commits' writes. Bounded: a fixed number of records
 * per case. The CPU is the whole process's (V8's compiler and collector threads, and the embedded
 * log's writer thread, included), so short runs overstate it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dropPostgresSchema, openDatabase } from '../lib/db.ts';
import type { AccessRecord } from '../gateway/audit/access-record.ts';
import { AuditLog, type AuditTables } from '../gateway/audit/audit-log.ts';
import { cpuMsByPid } from './procstat.ts';

const { values } = parseArgs({
  options: {
    postgres: { type: 'boolean', default: false },
    records: { type: 'string', default: '4000' },
    /** Only the shapes whose name starts with this (write, household, batch). */
    shape: { type: 'string', default: '' },
    groups: { type: 'string', default: '1,4,16' },
    prefill: { type: 'string', default: '0' },
  },
});

function wholeNumber(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`--${option} must be a whole number, not "${value}"`);
    process.exit(2);
  }
  return n;
}
const RECORDS = wholeNumber('records', values.records);
const PREFILL = wholeNumber('prefill', values.prefill);
/** The prefill's group: large, so that growing the index takes seconds. */
const PREFILL_GROUP = 64;
const DATABASE_URL = values.postgres
  ? (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
  : undefined;

const PERSON_FIELDS = ['Person.name', 'Person.idNumber', 'Person.birthDate', 'Person.gender'];
const HOUSEHOLD_FIELDS = ['Household.id', 'Household.address', 'Household.members'];

/** The benchmark's population: subjects drawn at random, as the workloads ask for them. */
const POPULATION = 20_000;
const householdKey = () => String(Math.floor(Math.random() * POPULATION)).padStart(6, '0');

function record(index: number, households: number, membersEach: number): AccessRecord {
  const subjects: Record<string, string[]> = {};
  for (let h = 0; h < households; h++) {
    const key = householdKey();
    subjects[`household:H${key}`] = HOUSEHOLD_FIELDS;
    for (let m = 0; m < membersEach; m++) {
      subjects[`person:1101011990${key}${m}`] =
        m === 0 ? [...PERSON_FIELDS, 'Person.income'] : PERSON_FIELDS;
    }
  }
  return {
    at: new Date().toISOString(),
    requestId: `req-${index}`,
    dept: 'civil-affairs',
    client: 'caseworker-17',
    operator: 'op-42',
    purpose: 'ASSISTANCE_REVIEW',
    caseId: `case-${index}`,
    consentIds: Array.from({ length: households }, (_, h) => `consent-${index}-${h}`),
    reason: null,
    review: false,
    operation: 'Household',
    documentHash: 'a'.repeat(64),
    subjects,
    categories: {},
    denied: [],
    errorCodes: [],
    outcome: 'ok',
    status: 200,
  };
}

/** A determination written for a household of four: every member and the household, one field. */
function writeRecord(index: number): AccessRecord {
  const base = record(index, 0, 0);
  const key = householdKey();
  const subjects = [`household:H${key}`, ...[0, 1, 2, 3].map((m) => `person:1101011990${key}${m}`)];
  return {
    ...base,
    operation: 'RecordDetermination',
    subjects: Object.fromEntries(subjects.map((s) => [s, ['Mutation.recordDetermination']])),
    categories: Object.fromEntries(subjects.map((s) => [s, ['assistance']])),
  };
}

const SHAPES = [
  { name: 'write (household of 4)', make: writeRecord },
  { name: 'household (1 household, 4 people)', make: (i: number) => record(i, 1, 4) },
  { name: 'batch (20 households, 80 people)', make: (i: number) => record(i, 20, 4) },
];

const categoryOf = (field: string) => (field.startsWith('Person.income') ? 'income' : 'identity');

async function run(shape: (typeof SHAPES)[number], group: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'audit-append-'));
  const name = `bench_audit_append_${process.pid}`;
  const database = await openDatabase<AuditTables>({ name, dataDir, databaseUrl: DATABASE_URL });
  try {
    const log = await AuditLog.open(database, categoryOf);
    for (let i = 0; i < PREFILL; i += PREFILL_GROUP) {
      const n = Math.min(PREFILL_GROUP, PREFILL - i);
      await log.append(Array.from({ length: n }, (_, k) => shape.make(-1 - i - k)));
    }
    // The measured commits should not pay for checkpointing the prefill's pages.
    database.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    const count = shape.name.startsWith('batch') ? Math.max(group, RECORDS / 10) : RECORDS;
    const records = Array.from({ length: count }, (_, i) => shape.make(i));
    await log.append(records.slice(0, group)); // warm-up: statements prepared, head known
    const serverBefore = DATABASE_URL ? cpuMsByPid('postgres') : null;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = group; i + group <= count; i += group)
      await log.append(records.slice(i, i + group));
    const wall = Number(process.hrtime.bigint() - started) / 1000;
    const used = process.cpuUsage(cpu);
    let server = NaN;
    if (serverBefore) {
      server = 0;
      for (const [pid, ms] of cpuMsByPid('postgres')) server += ms - (serverBefore.get(pid) ?? 0);
    }
    const appended = count - group - ((count - group) % group);
    return {
      cpu: (used.user + used.system) / appended,
      system: used.system / appended,
      wall: wall / appended,
      server: (server * 1000) / appended,
    };
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (DATABASE_URL) await dropPostgresSchema(DATABASE_URL, name);
  }
}

console.log(
  `access log on ${DATABASE_URL ? 'PostgreSQL' : 'embedded SQLite'}; µs per record` +
    (PREFILL > 0 ? `, after ${PREFILL} records of the same shape` : ''),
);
console.log('| record | group | CPU µs | of it system | wall µs | PostgreSQL CPU µs |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const shape of SHAPES.filter((s) => s.name.startsWith(values.shape))) {
  for (const group of values.groups.split(',').map(Number)) {
    const r = await run(shape, group);
    console.log(
      `| ${shape.name} | ${group} | ${r.cpu.toFixed(0)} | ${r.system.toFixed(0)} | ${r.wall.toFixed(0)} | ${Number.isFinite(r.server) ? r.server.toFixed(0) : 'n/a'} |`,
    );
  }
}
