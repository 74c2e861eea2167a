/**
 * The workloads: the same requests, byte for byte, go to all three gateways. Every request
 * carries a caseworker's token, the purpose, the operator and the consent tokens; the baselines
 * ignore what they do not check.
 */
import { issueConsentToken, issueDepartmentToken } from '../lib/identity/dev-tokens.ts';
import { readSupergraph } from '../schema/compose.ts';
import type { SampleHousehold } from '../subgraphs/household/sample.ts';
import { HOUSEHOLD_QUERY } from '../gateway/sample-query.ts';
import { BENCH_DEPARTMENT, BENCH_OPERATOR, BENCH_PURPOSE } from './bench-access.ts';

export interface PoolEntry extends SampleHousehold {
  consent: string;
}

export interface BenchRequest {
  body: string;
  headers: Record<string, string>;
}

export interface Workload {
  name: string;
  title: string;
  /** A request for a random pick from the pool (called per request under load). */
  next(): BenchRequest;
  /** The same request every time, for the correctness check. */
  fixed(index: number): BenchRequest;
  /**
   * Every request `next()` can make, as far as a department call's answer goes (the replay's
   * priming, `--departments replay`): the pool's households, the batches, one write.
   */
  variants(): BenchRequest[];
  /** Whether a response's data is the full answer (not an empty or masked one). */
  valid(data: unknown): boolean;
}

/** Members with unmasked names and every department's data: the consent opened everything. */
function fullRecord(data: unknown): boolean {
  const text = JSON.stringify(data);
  return (
    text.includes('"members":[{') &&
    !/"name":"[^"]*\*/.test(text) &&
    text.includes('"medicalInsurance":{')
  );
}

export const BATCH_SIZE = 20;

const HOUSEHOLD_SELECTION = HOUSEHOLD_QUERY.slice(
  HOUSEHOLD_QUERY.indexOf('household(id: $id) {') + 'household(id: $id) '.length,
  HOUSEHOLD_QUERY.lastIndexOf('}'),
);

/** A batch review: the heads of 20 households, each with the whole household record. */
export const BATCH_QUERY = `query BatchReview($ids: [ID!]!) {
  persons(ids: $ids) {
    id
    name
    household ${HOUSEHOLD_SELECTION.trim()}
  }
}`;

export async function issuePool(dataDir: string, pool: SampleHousehold[]): Promise<PoolEntry[]> {
  return Promise.all(
    pool.map(async (h) => ({
      ...h,
      consent: await issueConsentToken(dataDir, {
        household: h.household,
        subjects: h.members,
        grantees: [BENCH_DEPARTMENT],
        purpose: BENCH_PURPOSE,
      }),
    })),
  );
}

export async function callerHeaders(dataDir: string): Promise<Record<string, string>> {
  const token = await issueDepartmentToken(dataDir, { dept: BENCH_DEPARTMENT, ttlSeconds: 86_400 });
  return {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'x-purpose': BENCH_PURPOSE,
    'x-operator-id': BENCH_OPERATOR,
  };
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;

function distinct<T>(list: T[], n: number, start?: number): T[] {
  if (start !== undefined)
    return Array.from({ length: n }, (_, i) => list[(start + i) % list.length]!);
  const chosen = new Set<T>();
  while (chosen.size < Math.min(n, list.length)) chosen.add(pick(list));
  return [...chosen];
}

export function householdWorkload(pool: PoolEntry[], caller: Record<string, string>): Workload {
  const request = (h: PoolEntry): BenchRequest => ({
    body: JSON.stringify({
      query: HOUSEHOLD_QUERY,
      operationName: 'Household',
      variables: { id: h.household },
    }),
    headers: { ...caller, 'x-consent-token': h.consent },
  });
  return {
    name: 'household',
    title: 'cross-department household query, random household',
    next: () => request(pick(pool)),
    fixed: (i) => request(pool[i % pool.length]!),
    variants: () => pool.map(request),
    valid: fullRecord,
  };
}

/**
 * Batches a replayed run draws from (`--departments replay`): each department answer must have
 * been seen before the measurement, and random draws of 20 of 200 households never repeat.
 * Windows over the pool with a stride of 7 give this many distinct, overlapping batches.
 */
export const REPLAY_BATCHES = 50;
const REPLAY_STRIDE = 7;

export function batchWorkload(
  pool: PoolEntry[],
  caller: Record<string, string>,
  options: { replay?: boolean } = {},
): Workload {
  const replayBatch = (i: number) => distinct(pool, BATCH_SIZE, i * REPLAY_STRIDE);
  const request = (households: PoolEntry[]): BenchRequest => ({
    body: JSON.stringify({
      query: BATCH_QUERY,
      operationName: 'BatchReview',
      variables: { ids: households.map((h) => h.members[0]) },
    }),
    headers: { ...caller, 'x-consent-token': households.map((h) => h.consent).join(',') },
  });
  return {
    name: 'batch',
    title: `batch review of ${BATCH_SIZE} households with ${BATCH_SIZE} consents`,
    next: () =>
      options.replay
        ? request(replayBatch(Math.floor(Math.random() * REPLAY_BATCHES)))
        : request(distinct(pool, BATCH_SIZE)),
    fixed: (i) => request(distinct(pool, BATCH_SIZE, i * BATCH_SIZE)),
    variants: () => Array.from({ length: REPLAY_BATCHES }, (_, i) => request(replayBatch(i))),
    valid: fullRecord,
  };
}

/** The determination write needs the assistance subgraph's mutation in the supergraph. */
export function writeWorkloadAvailable(): boolean {
  return readSupergraph().includes('recordDetermination(');
}

export const WRITE_QUERY = `mutation RecordDetermination($input: RecordDeterminationInput!) {
  recordDetermination(input: $input) {
    id
    caseId
    program
    decision
    effectiveFrom
    monthlyAmount
    coveredMembers
  }
}`;

/**
 * An approved dibao determination for a random household of a pool kept apart from the read
 * pool (writes add determinations, which the household query returns). Each request has its own
 * idempotency key; the check's requests reuse theirs on every gateway, so the department returns
 * the same record to all three.
 */
export function writeWorkload(pool: PoolEntry[], caller: Record<string, string>): Workload {
  const run = `bench-${Date.now().toString(36)}`;
  let sequence = 0;
  const request = (h: PoolEntry, key: string): BenchRequest => ({
    body: JSON.stringify({
      query: WRITE_QUERY,
      operationName: 'RecordDetermination',
      variables: {
        input: {
          idempotencyKey: key,
          household: h.household,
          caseId: `${run}-case`,
          program: 'DIBAO',
          decision: 'APPROVED',
          decidedOn: '2026-07-01',
          effectiveFrom: '2026-07-01',
          monthlyAmount: 1200,
          reviewCycleMonths: 12,
          coveredMembers: h.members,
        },
      },
    }),
    headers: { ...caller, 'x-consent-token': h.consent, 'x-case-id': `${run}-case` },
  });
  return {
    name: 'write',
    title: 'determination write (recordDetermination), random household',
    next: () => request(pick(pool), `${run}-${(sequence += 1)}`),
    fixed: (i) => request(pool[i % pool.length]!, `${run}-check-${i}`),
    // The replay answers every write with its first answer (a mutation's variables are not keyed).
    variants: () => [request(pool[0]!, `${run}-prime-${(sequence += 1)}`)],
    valid: (data) =>
      Boolean((data as { recordDetermination?: { id?: unknown } }).recordDetermination?.id),
  };
}
