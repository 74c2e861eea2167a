/**
 * `npm run demo`: the whole story against the running platform (`npm start` in another terminal),
 * printing each step: a caseworker verifies a household under its consent and records a dibao
 * determination; housing, with its own consent, sees it and records a rent subsidy; the citizen
 * sees who accessed their data and why; the auditor verifies the access log's chain.
 */
import { randomUUID } from 'node:crypto';
import { issueConsentToken, issueDepartmentToken } from '../lib/identity/dev-tokens.ts';
import { openDatabase } from '../lib/db.ts';
import { sampleHouseholds } from '../subgraphs/household/sample.ts';
import type { HouseholdDB } from '../subgraphs/household/tables.ts';
import { config, developmentOnly, fail, parse } from './cli.ts';

const { values } = parse(
  { url: { type: 'string' } },
  'npm run demo -- [--url http://localhost:4000/graphql]',
);
developmentOnly('npm run demo');
const cfg = config();
const url = values.url ?? `http://127.0.0.1:${cfg.gatewayPort}/graphql`;

async function call(
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
) {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    fail(`cannot reach the gateway at ${url}: start it with \`npm start\` first`);
  }
  const body = (await response.json().catch(() => null)) as {
    data?: any;
    errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[];
  } | null;
  // Anything but a GraphQL answer (a wrong path's 404, another server) would otherwise read as
  // empty data all the way down, and the last step as a broken log.
  if (body === null || typeof body !== 'object' || !('data' in body || 'errors' in body)) {
    fail(
      `${url} did not answer as the gateway's GraphQL endpoint (HTTP ${response.status}): is it the URL of /graphql?`,
    );
  }
  for (const e of body.errors ?? [])
    console.log(
      `    ! ${e.extensions?.code} at ${(e.path ?? []).join('.') || '(request)'}: ${e.message}`,
    );
  return body.data;
}

const step = (n: number, text: string) => console.log(`\n${n}. ${text}`);

const database = await openDatabase<HouseholdDB>({
  name: 'household',
  dataDir: cfg.dataDir,
  databaseUrl: cfg.databaseUrl,
});
const [sample] = await sampleHouseholds(database.db, 1).finally(() => database.close());
if (!sample) fail('no seeded data: run `npm start` first');
const { household, members } = sample;
const head = members[0]!;
const headers = async (dept: string, purpose: string, consent: boolean) => ({
  authorization: `Bearer ${await issueDepartmentToken(cfg.dataDir, { dept })}`,
  'x-purpose': purpose,
  'x-operator-id': `${dept}-officer-007`,
  'x-case-id': `MZ-${household.slice(0, 6)}-2026-DEMO01`,
  ...(consent
    ? {
        'x-consent-token': await issueConsentToken(cfg.dataDir, {
          household,
          subjects: members,
          grantees: [dept],
          purpose,
        }),
      }
    : {}),
});

step(
  1,
  `A civil-affairs caseworker verifies household ${household} for dibao, with the family's signed consent`,
);
const caseworker = await headers('civil-affairs', 'dibao', true);
const verified = await call(
  caseworker,
  `query($id: ID!) { household(id: $id) { address memberCount
  members { name age relationToHead properties { area usage } providentFund { balance } socialInsurance { contributionBase }
    medicalExpenses(months: 12) { outOfPocket largeExpense } employment { status } }
  disasterDamage { severity } determinations { program decision } } }`,
  { id: household },
);
const h = verified?.household;
console.log(`   ${h?.address}, ${h?.memberCount} members`);
for (const m of h?.members ?? []) {
  const area = (m.properties ?? []).reduce((s: number, p: { area: number }) => s + p.area, 0);
  console.log(
    `   - ${m.name} (${m.relationToHead}, ${m.age}): ${m.employment?.status ?? 'no employment record'}, contribution base ${m.socialInsurance?.contributionBase ?? '-'}, property ${area} m², medical out-of-pocket ${m.medicalExpenses?.outOfPocket ?? '-'}`,
  );
}

step(
  2,
  'The caseworker records a dibao determination (retried once: the idempotency key keeps it single)',
);
const input = {
  idempotencyKey: `demo-${randomUUID()}`,
  household,
  caseId: `MZ-${household.slice(0, 6)}-2026-DEMO01`,
  program: 'DIBAO',
  decision: 'APPROVED',
  decidedOn: new Date().toISOString().slice(0, 10),
  effectiveFrom: new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1))
    .toISOString()
    .slice(0, 10),
  monthlyAmount: 1260,
  reviewCycleMonths: 12,
  coveredMembers: members,
};
const record = `mutation($input: RecordDeterminationInput!) { recordDetermination(input: $input) { id program decision monthlyAmount nextReviewOn } }`;
const first = (await call(caseworker, record, { input }))?.recordDetermination;
const retry = (await call(caseworker, record, { input }))?.recordDetermination;
console.log(
  `   recorded ${first?.id}: ${first?.program} ${first?.decision}, ${first?.monthlyAmount} CNY/month, next review ${first?.nextReviewOn}; retry returned ${retry?.id}`,
);

step(
  3,
  'Housing, under its own consent for housing assistance, sees the determination and records a rent subsidy',
);
const housing = await headers('housing', 'housing-assistance', true);
const seen = await call(
  housing,
  `query($id: ID!) { household(id: $id) { determinations { id program decision } } }`,
  { id: household },
);
console.log(
  `   housing sees: ${(seen?.household?.determinations ?? []).map((d: any) => `${d.id} ${d.program} ${d.decision}`).join('; ')}`,
);
const feedback = await call(
  housing,
  `mutation($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id department action amount } }`,
  {
    input: {
      idempotencyKey: `demo-${randomUUID()}`,
      household,
      determination: first?.id,
      action: 'RENT_SUBSIDY_GRANTED',
      amount: 600,
      effectiveOn: input.effectiveFrom,
    },
  },
);
console.log(
  `   recorded ${feedback?.recordFeedback?.id}: ${feedback?.recordFeedback?.action} ${feedback?.recordFeedback?.amount} CNY`,
);
const without = await call(
  await headers('housing', 'housing-assistance', false),
  `query($id: ID!) { household(id: $id) { determinations { id } } }`,
  { id: household },
);
console.log(
  `   without the consent housing gets determinations = ${JSON.stringify(without?.household?.determinations ?? null)}`,
);

step(
  4,
  `The head of household (${head.slice(0, 6)}********${head.slice(14)}) sees who accessed their data and why`,
);
const citizen = {
  authorization: `Bearer ${await issueDepartmentToken(cfg.dataDir, { dept: 'citizen', sub: head })}`,
};
const mine = await call(
  citizen,
  `{ myDataAccess(first: 5) { entries { at departmentName purposeTitle categories caseId } } }`,
);
for (const e of mine?.myDataAccess?.entries ?? [])
  console.log(
    `   - ${e.at}  ${e.departmentName} · ${e.purposeTitle} · ${e.categories.join(', ')} · case ${e.caseId ?? '-'}`,
  );

step(5, 'The auditor verifies the access log');
const auditor = {
  authorization: `Bearer ${await issueDepartmentToken(cfg.dataDir, { dept: 'audit' })}`,
};
const integrity = (await call(auditor, `{ accessLogIntegrity { intact checked brokenAt reason } }`))
  ?.accessLogIntegrity;
if (!integrity) {
  console.log('   the log could not be checked (the error above)');
  process.exitCode = 1;
} else if (integrity.intact) {
  console.log(`   intact: ${integrity.checked} records, hash chain verified`);
} else {
  console.log(`   BROKEN at record ${integrity.brokenAt}: ${integrity.reason}`);
  process.exitCode = 1;
}
