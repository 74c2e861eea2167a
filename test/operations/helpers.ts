/** Shared by the operations tests: a platform with chosen settings, callers, and the population. */
import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { issueDepartmentToken } from '../../lib/identity/dev-tokens.ts';
import { createLogger, type Logger } from '../../gateway/observability/logger.ts';
import { populationChunks, type SynthPerson } from '../../subgraphs/runtime/seed/population.ts';
import { TEST_HOUSEHOLDS, TEST_SEED, type TestStorage } from '../helpers/platform.ts';

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

export interface RunningCommand<T> {
  child: ChildProcess;
  /** What `ready` found in the command's output. */
  ready: T;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs one of the project's commands (`bin/<name>.ts`) in its own process as a user runs it
 * (`NODE_ENV=development`, not 'test': libraries that act on signals outside tests must be
 * exercised), on the test's data folder and seed with the embedded stores, and resolves once
 * `ready` finds what it needs in the output (stdout and stderr).
 */
export function startCommand<T>(
  script: string,
  args: string[],
  storage: TestStorage,
  env: Record<string, string>,
  ready: (output: string) => T | undefined,
): Promise<RunningCommand<T>> {
  // The embedded stores unless the test names a database or Redis itself.
  const { DATABASE_URL: _d, REDIS_URL: _r, ...inherited } = process.env as Record<string, string>;
  const childEnv: Record<string, string> = {
    ...inherited,
    NODE_ENV: 'development',
    DATA_DIR: storage.dataDir,
    SEED: String(TEST_SEED),
    SEED_HOUSEHOLDS: String(TEST_HOUSEHOLDS),
    ...env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`${script} never got ready:\n${output}`)),
      60_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = ready(output);
      if (found !== undefined) {
        clearTimeout(timer);
        resolve({ child, ready: found, exited });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${script} exited before it got ready:\n${output}`));
    });
  });
}
