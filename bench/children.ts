/**
 * The parent side: starts a child entry under Node with tsx (directly, not through the tsx CLI,
 * whose wrapper would be a second process and hide the real pid), waits for its ready message,
 * and stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Child<Ready> {
  name: string;
  pid: number;
  ready: Ready;
  process: ChildProcess;
  /** Asks the child to exit cleanly (so profiles are written); kills it after 15 s. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Extra Node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** How long to wait for the ready message (seeding a large population takes minutes). */
  timeoutMs?: number;
  /** Messages that are neither ready nor error (seeding progress). */
  onMessage?: (message: Record<string, unknown>) => void;
  /**
   * Send the child's stdout to /dev/null: our gateway logs a JSON line per request (pino, info),
   * which still costs it the formatting and the write, but would bury the report.
   */
  quiet?: boolean;
}

export async function spawnChild<Ready>(
  name: string,
  entry: string,
  config: unknown,
  options: SpawnOptions = {},
): Promise<Child<Ready>> {
  const file = fileURLToPath(new URL(entry, import.meta.url));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', file], {
    // Production mode for the libraries, as deployed: graphql-js skips its development-only
    // checks (its instanceOf was 5% of the departments' CPU). The children's own configuration
    // is passed explicitly and does not read NODE_ENV.
    env: { ...process.env, NODE_ENV: 'production', BENCH_CHILD: JSON.stringify(config) },
    stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} was not ready within ${options.timeoutMs ?? 120_000} ms`));
    }, options.timeoutMs ?? 120_000);
    child.on('message', (raw) => {
      const message = raw as Record<string, unknown>;
      if ('ready' in message) {
        clearTimeout(timer);
        resolve(message.ready as Ready);
      } else if ('error' in message) {
        clearTimeout(timer);
        reject(new Error(`${name} failed:\n${String(message.error)}`));
      } else options.onMessage?.(message);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (${signal ?? code})`));
    });
  });
  return {
    name,
    pid: child.pid!,
    ready,
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ stop: true });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
