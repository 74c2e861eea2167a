/**
 * Runs the container image's command lines without a container: the Dockerfile's ENTRYPOINT
 * (read from the Dockerfile, not copied) with a role's command (`gateway`, `subgraph <name>`),
 * from the project folder as the image's WORKDIR, with only the environment given.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The image's ENTRYPOINT, in its exec (JSON array) form. */
export function imageEntrypoint(): string[] {
  const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
  const line = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (!line) throw new Error('the Dockerfile has no ENTRYPOINT in exec form');
  return JSON.parse(line[1]!) as string[];
}

export interface RoleProcess<T> {
  child: ChildProcess;
  ready: T;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What a role needs from the test's own environment to run at all (no platform variables). */
function baseEnv(): Record<string, string> {
  const { PATH, HOME, TMPDIR } = process.env;
  return Object.fromEntries(
    Object.entries({ PATH, HOME, TMPDIR }).filter((entry): entry is [string, string] =>
      Boolean(entry[1]),
    ),
  );
}

function spawnRole(command: string[], env: Record<string, string>): ChildProcess {
  const [program, ...args] = [...imageEntrypoint(), ...command];
  return spawn(program!, args, {
    cwd: PROJECT_ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Starts the image's entrypoint with `command` and resolves when `ready` finds what it needs in
 * the output; rejects with the output when it exits first or takes over `timeoutMs`.
 */
export function startRole<T>(
  command: string[],
  env: Record<string, string>,
  ready: (output: string) => T | undefined,
  timeoutMs = 60_000,
): Promise<RoleProcess<T>> {
  const child = spawnRole(command, env);
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command.join(' ')} never got ready:\n${output}`));
    }, timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = ready(output);
      if (found !== undefined) {
        clearTimeout(timer);
        resolve({ child, ready: found, output: () => output, exited });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then((status) => {
      clearTimeout(timer);
      reject(
        Object.assign(new Error(`${command.join(' ')} exited before it got ready:\n${output}`), {
          status,
          output,
        }),
      );
    });
  });
}

/** Runs the entrypoint with `command` to its end (for commands that refuse to start). */
export function runRole(
  command: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawnRole(command, env);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command.join(' ')} did not exit:\n${output}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Stops a role with SIGTERM and waits for it (SIGKILL after 10 s). */
export async function stopRole(role: RoleProcess<unknown> | undefined): Promise<void> {
  if (!role || role.child.exitCode !== null || role.child.signalCode !== null) return;
  role.child.kill('SIGTERM');
  const timer = setTimeout(() => role.child.kill('SIGKILL'), 10_000);
  await role.exited;
  clearTimeout(timer);
}

/** A local URL where nothing listens: a port bound and released. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/graphql`;
}
