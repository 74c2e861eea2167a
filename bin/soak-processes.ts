/**
 * The soak's production topology (`npm run soak -- --processes`): the six departments and the
 * gateway each in its own process, started with the command lines of `npm run subgraph` and
 * `npm run gateway`, so that each one's memory is measured alone. Each runs under
 * bin/memory-probe.ts, through which the soak reads its memory and takes heap snapshots.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { SUBGRAPHS } from '../schema/catalogue.ts';
import { envVarPrefix } from '../lib/config.ts';
import type { ProbeMemory, ProbeRequest } from './memory-probe.ts';

export interface MeasuredProcess {
  name: string;
  pid: number;
  memory(): Promise<ProbeMemory>;
  /** Writes a heap snapshot to `file` (a few seconds, and about the heap's size again in memory). */
  snapshot(file: string): Promise<string>;
}

export interface SoakProcesses {
  gatewayUrl: string;
  processes: MeasuredProcess[];
  close(): Promise<void>;
}

interface Started {
  child: ChildProcess;
  ready: string;
}

const PROBE = new URL('./memory-probe.ts', import.meta.url).pathname;

function start(
  spawned: ChildProcess[],
  name: string,
  nodeFlags: string[],
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyLine: RegExp,
): Promise<Started> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', PROBE, script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  spawned.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const ready = readyLine.exec(out)?.[1];
      if (ready) {
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep draining: a full pipe would block the process
        resolve({ child, ready });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
    child.once('exit', (code) =>
      reject(new Error(`${name} exited (${code}) before ready:\n${out}`)),
    );
  });
}

/** One request at a time on a process's channel, so that answers cannot be mixed up. */
function measured(name: string, child: ChildProcess): MeasuredProcess {
  let queue: Promise<unknown> = Promise.resolve();
  const ask = <T>(request: ProbeRequest) => {
    const answer = queue.then(
      () =>
        new Promise<T>((resolve) => {
          child.once('message', (message) => resolve(message as T));
          child.send(request);
        }),
    );
    queue = answer.catch(() => undefined);
    return answer;
  };
  return {
    name,
    pid: child.pid!,
    memory: () => ask<ProbeMemory>({ kind: 'memory' }),
    snapshot: async (file) => (await ask<{ file: string }>({ kind: 'snapshot', file })).file,
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function startSoakProcesses(
  env: NodeJS.ProcessEnv,
  gatewayNodeFlags: string[],
): Promise<SoakProcesses> {
  const spawned: ChildProcess[] = [];
  try {
    // Departments on free ports; the same DATA_DIR, so they and the gateway read one key set.
    const departments = await Promise.all(
      SUBGRAPHS.map((s) =>
        start(
          spawned,
          s.name,
          [],
          'bin/subgraph.ts',
          [s.name],
          { ...env, [`${envVarPrefix(s.name)}_PORT`]: '0' },
          new RegExp(`${s.name} ready: (\\S+)`),
        ),
      ),
    );
    const urls = Object.fromEntries(
      SUBGRAPHS.map((s, i) => [`${envVarPrefix(s.name)}_URL`, departments[i]!.ready]),
    );
    const gateway = await start(
      spawned,
      'gateway',
      gatewayNodeFlags,
      'bin/gateway.ts',
      [],
      // As `npm run gateway` runs it (bin/serve.sh): two malloc arenas unless the caller says.
      { MALLOC_ARENA_MAX: '2', ...env, ...urls, PORT: '0' },
      /Gateway ready: (\S+)/,
    );
    return {
      gatewayUrl: gateway.ready,
      processes: [
        measured('gateway', gateway.child),
        ...SUBGRAPHS.map((s, i) => measured(s.name, departments[i]!.child)),
      ],
      close: async () => {
        await stop(gateway.child); // first: it flushes the access log
        await Promise.all(departments.map((d) => stop(d.child)));
      },
    };
  } catch (error) {
    await Promise.all(spawned.map((child) => stop(child)));
    throw error;
  }
}
