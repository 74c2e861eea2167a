/** Shared by the operations tests: a platform with chosen settings, callers, and the population. */
import { Writable } from 'node:stream';
import { issueDepartmentToken } from '../../lib/identity/dev-tokens.ts';
import { createLogger, type Logger } from '../../gateway/observability/logger.ts';
import { populationChunks, type SynthPerson } from '../../subgraphs/runtime/seed/population.ts';
import { TEST_HOUSEHOLDS, TEST_SEED } from '../helpers/platform.ts';

/** Headers of a department's client system (its own `sub`, so limits can tell clients apart). */
export async function callerHeaders(
  dataDir: string,
  dept: string,
  extra: Record<string, string> = {},
  sub?: string,
): Promise<Record<string, string>> {
  const token = await issueDepartmentToken(dataDir, { dept, ...(sub ? { sub } : {}) });
  return { authorization: `Bearer ${token}`, 'x-operator-id': 'officer-001', ...extra };
}

/** Every member of the seeded test population. */
export function testPopulation(): SynthPerson[] {
  const people: SynthPerson[] = [];
  for (const chunk of populationChunks(TEST_SEED, TEST_HOUSEHOLDS))
    for (const household of chunk) people.push(...household.members);
  return people;
}

/** A logger whose lines are kept in memory. */
export function bufferedLogger(): { logger: Logger; lines: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines: () => chunks.join('') };
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}
