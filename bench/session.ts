/**
 * The pieces of one benchmark session: the departments (once), the gateways (each in its own
 * process), the correctness check, and the interleaved rounds a, b, c, a, b, c …
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { dropPostgresSchema } from '../lib/db.ts';
import { SUBGRAPHS } from '../schema/catalogue.ts';
import { AUDIT_DATABASE } from '../gateway/audit/index.ts';
import { spawnChild, type Child } from './children.ts';
import { checkResponses } from './check.ts';
import type { DepartmentsConfig, DepartmentsReady } from './departments-main.ts';
import type { ReplayConfig, ReplayReady, ReplayStats } from './replay-main.ts';
import type { GatewayChildConfig } from './gateway-ours.ts';
import { load, measure, type DatabaseProcess, type LoadOptions } from './load.ts';
import { AUDIT_PREFIX, databasePrefix, type BenchOptions, type GatewayName } from './options.ts';
import { medianMeasurement, ratiosOf, type GatewayResult, type WorkloadResult } from './report.ts';
import { callerHeaders, issuePool, type PoolEntry, type Workload } from './workloads.ts';

export const POOL_SIZE = 200;
const MAX_HEADER_BYTES = 128 * 1024;

/**
 * The runtime flags `npm start` gives Node (package.json): a larger young generation, so that a
 * batch review's parsed department answers die in fewer scavenges (docs/performance.md). Every
 * gateway under test runs with them, vanilla and the floor too, so that the comparison is of
 * the gateways' code on one runtime.
 */
export const GATEWAY_NODE_FLAGS = ['--max-semi-space-size=32'];

/** The departments did not come up (typically: seeding took longer than allowed). */
export class SeedingError extends Error {
  constructor(
    message: string,
    readonly seeded: number,
    readonly seconds: number,
  ) {
    super(message);
  }
}

const ENTRIES: Record<GatewayName, string> = {
  ours: './gateway-ours.ts',
  'ours-noaudit': './gateway-ours.ts',
  vanilla: './gateway-vanilla.ts',
  floor: './gateway-floor.ts',
  'floor-stock': './gateway-floor.ts',
  'ours-nodelay': './gateway-ours.ts',
};

/** The database server whose processes' CPU a window reports (PostgreSQL runs). */
export const databaseProcess = (options: BenchOptions): DatabaseProcess =>
  options.postgres ? 'postgres' : null;

export interface RunningDepartments {
  /** The processes serving the departments: one per department, or one for all six (and the replay). */
  children: Child<unknown>[];
  /** Subgraph name → URL (the replay's, with `--departments replay`). */
  urls: Record<string, string>;
  /** With `--departments replay`: the replay's hit and miss counts so far. */
  replayStats?: () => Promise<ReplayStats>;
  pool: PoolEntry[];
  caller: Record<string, string>;
  /** Wall time from launch to ready (seeding included when it seeded). */
  startSeconds: number;
  seeded: boolean;
  stop(): Promise<void>;
}

/** A departments process's configuration: this run's storage and size, and what it is for. */
function departmentsConfig(
  options: BenchOptions,
  households: number,
  role: Pick<DepartmentsConfig, 'poolSize' | 'names'>,
): DepartmentsConfig {
  return {
    dataDir: options.dataDir,
    ...(options.postgres ? { databaseUrl: options.databaseUrl } : {}),
    databasePrefix: databasePrefix(households),
    households,
    ...role,
  };
}

/** Seeds (once per size) and samples the pool in one process that serves all six departments. */
async function seedAndSample(
  options: BenchOptions,
  households: number,
  log: (line: string) => void,
  nodeArgs: string[],
): Promise<Child<DepartmentsReady>> {
  // The read pool, then as many households again for the write workload.
  const config = departmentsConfig(options, households, { poolSize: 2 * POOL_SIZE });
  let shown = 0;
  let seededSoFar = 0;
  const started = Date.now();
  return spawnChild<DepartmentsReady>('departments', './departments-main.ts', config, {
    timeoutMs: options.maxSeedMinutes * 60_000,
    nodeArgs,
    onMessage: (message) => {
      const progress = message.progress as { done: number; total: number } | undefined;
      if (!progress) return;
      seededSoFar = progress.done;
      const pct = Math.floor((100 * progress.done) / progress.total);
      if (pct >= shown + 10 || progress.done === progress.total) {
        shown = pct;
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        log(
          `  seeding: ${progress.done.toLocaleString('en')} / ${progress.total.toLocaleString('en')} households (${seconds} s)`,
        );
      }
    },
  }).catch((error: unknown) => {
    throw new SeedingError(
      `${(error as Error).message}; ${seededSoFar.toLocaleString('en')} of ${households.toLocaleString('en')} households seeded in ${((Date.now() - started) / 60_000).toFixed(1)} min`,
      seededSoFar,
      (Date.now() - started) / 1000,
    );
  });
}

/**
 * The departments, seeded and serving. By default each department in its own process, as
 * deployed (`npm run subgraph -- <name>`): six event loops the OS spreads over the cores, instead
 * of one that all six share and that would bound every gateway's requests/s alike.
 * `nodeArgsFor` gives a serving process its extra Node flags (profiling).
 */
export async function startDepartments(
  options: BenchOptions,
  households: number,
  log: (line: string) => void,
  nodeArgsFor: (name: string) => string[] = () => [],
): Promise<RunningDepartments> {
  const onePerDepartment = options.departments !== 'one-process';
  const seeder = await seedAndSample(
    options,
    households,
    log,
    onePerDepartment ? [] : nodeArgsFor('departments'),
  );
  const { ready } = seeder;
  let children = [seeder];
  if (onePerDepartment) {
    await seeder.stop();
    const started = await Promise.allSettled(
      SUBGRAPHS.map(({ name }) =>
        spawnChild<DepartmentsReady>(
          name,
          './departments-main.ts',
          departmentsConfig(options, households, { poolSize: 0, names: [name] }),
          { nodeArgs: nodeArgsFor(name) },
        ),
      ),
    );
    children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      // Leave no department running behind a failed start.
      await stopAll(children);
      throw (failed as PromiseRejectedResult).reason;
    }
  }
  log(
    `departments ready in ${ready.startSeconds.toFixed(1)} s (${ready.seeded.length ? `seeded ${ready.seeded.join(', ')}` : 'reused the seeded data'}), ${onePerDepartment ? 'one process per department' : 'all in one process'}`,
  );
  let urls = Object.assign({}, ...children.map((c) => c.ready.urls)) as Record<string, string>;
  let replayStats: RunningDepartments['replayStats'];
  let processes: Child<unknown>[] = children;
  if (options.departments === 'replay') {
    const replay = await spawnChild<ReplayReady>('replay', './replay-main.ts', {
      urls,
    } satisfies ReplayConfig).catch(async (error: unknown) => {
      await stopAll(children);
      throw error;
    });
    processes = [...children, replay];
    urls = replay.ready.urls;
    replayStats = async () => {
      const response = await fetch(Object.values(urls)[0]!);
      return (await response.json()) as ReplayStats;
    };
    log('  the departments answer through a replay of their recorded answers');
  }
  if (ready.pool.length < 2 * POOL_SIZE) log(`  note: only ${ready.pool.length} sample households`);
  return {
    children: processes,
    urls,
    ...(replayStats ? { replayStats } : {}),
    pool: await issuePool(options.dataDir, ready.pool),
    caller: await callerHeaders(options.dataDir),
    startSeconds: ready.startSeconds,
    seeded: ready.seeded.length > 0,
    stop: () => stopAll(processes),
  };
}

export type Gateways = Map<GatewayName, Child<{ url: string }>>;

export async function startGateway(
  name: GatewayName,
  options: BenchOptions,
  departments: RunningDepartments,
  nodeArgs: string[] = [],
): Promise<Child<{ url: string }>> {
  const commitDelayMs = name === 'ours-nodelay' ? 0 : options.auditCommitDelayMs;
  const config: GatewayChildConfig = {
    dataDir: options.dataDir,
    subgraphUrls: departments.urls,
    ...(name === 'floor-stock' ? { stockAccessContext: true } : {}),
    ...(name === 'ours' || name === 'ours-nodelay'
      ? {
          audit: {
            ...(options.postgres ? { databaseUrl: options.databaseUrl } : {}),
            // Each its own log: two writers on one SQLite file would wait on each other's locks.
            databasePrefix: auditPrefix(name),
            ...(commitDelayMs !== undefined ? { commitDelayMs } : {}),
          },
        }
      : {}),
  };
  // Twenty consent tokens are ~17 KB of X-Consent-Token: over Node's default 16 KiB header
  // limit, which answers 431 before any gateway code runs. Raised alike for all three.
  return spawnChild<{ url: string }>(name, ENTRIES[name], config, {
    nodeArgs: [...GATEWAY_NODE_FLAGS, `--max-http-header-size=${MAX_HEADER_BYTES}`, ...nodeArgs],
    quiet: true,
  });
}

/** Ours' access log and ours-nodelay's, each in its own database. */
const auditPrefix = (name: GatewayName) =>
  name === 'ours-nodelay' ? `${AUDIT_PREFIX}nodelay_` : AUDIT_PREFIX;

/** Empties ours' and ours-nodelay's access logs (a fresh hash chain per run). */
async function resetAuditLog(options: BenchOptions): Promise<void> {
  for (const prefix of [auditPrefix('ours'), auditPrefix('ours-nodelay')]) {
    const name = `${prefix}${AUDIT_DATABASE}`;
    if (options.postgres) await dropPostgresSchema(options.databaseUrl, name);
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(path.join(options.dataDir, `${name}.sqlite${suffix}`), { force: true });
    }
  }
}

export async function startGateways(
  options: BenchOptions,
  departments: RunningDepartments,
): Promise<Gateways> {
  await resetAuditLog(options);
  const gateways: Gateways = new Map();
  for (const name of options.gateways) {
    gateways.set(name, await startGateway(name, options, departments));
  }
  return gateways;
}

export async function stopAll(children: Iterable<Child<unknown>>): Promise<void> {
  for (const child of children) await child.stop();
}

/**
 * Sends every request a workload can make through every gateway once, a few at a time, so that
 * the replay has each department answer before the measurement (`--departments replay`).
 */
async function primeReplay(
  targets: { name: string; url: string }[],
  workload: Workload,
): Promise<void> {
  for (const { name, url } of targets) {
    const queue = workload.variants();
    const worker = async () => {
      for (let request = queue.shift(); request; request = queue.shift()) {
        const response = await fetch(url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
        await response.text();
        if (response.status !== 200)
          throw new Error(`priming the replay: ${name} answered ${response.status}`);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  }
}

/** Checks, then measures one workload in interleaved rounds. */
export async function runWorkload(
  workload: Workload,
  gateways: Gateways,
  departments: RunningDepartments,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<WorkloadResult> {
  const targets = [...gateways].map(([name, child]) => ({ name, url: child.ready.url }));
  await checkResponses(targets, workload);
  log(
    `${workload.name}: responses checked (no errors, identical data on ${targets.map((t) => t.name).join(', ')})`,
  );
  if (departments.replayStats) {
    await primeReplay(targets, workload);
    log(`${workload.name}: every request sent once through every gateway (the replay's answers)`);
  }
  const warmup: LoadOptions = {
    connections: options.connections,
    durationSeconds: options.warmupSeconds,
  };
  const window: LoadOptions = {
    connections: options.connections,
    durationSeconds: options.durationSeconds,
  };
  const rounds = new Map<GatewayName, GatewayResult['rounds']>();
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const [name, child] of gateways) {
      await load(child.ready.url, workload, warmup);
      const before = await departments.replayStats?.();
      const m = await measure(
        { url: child.ready.url, pid: child.pid },
        departments.children.map((c) => c.pid),
        workload,
        { ...window, database: databaseProcess(options) },
      );
      const after = await departments.replayStats?.();
      const misses = before && after ? after.misses - before.misses : 0;
      rounds.set(name, [...(rounds.get(name) ?? []), m]);
      log(
        `  round ${round}/${options.rounds} ${workload.name} ${name.padEnd(7)} ${Math.round(m.requestsPerSecond).toString().padStart(5)} req/s  p50 ${m.p50Ms.toFixed(1)} ms  p99 ${m.p99Ms.toFixed(1)} ms  cpu ${m.cpuMsPerRequest.toFixed(2)} ms/req  rss ${m.rssMb.toFixed(0)} MiB${m.failures ? `  FAILURES ${m.failures}` : ''}${misses ? `  REPLAY MISSES ${misses}` : ''}`,
      );
    }
  }
  const results: GatewayResult[] = [...rounds].map(([gateway, list]) => ({
    gateway,
    rounds: list,
    median: medianMeasurement(list),
  }));
  return {
    workload: workload.name,
    title: workload.title,
    gateways: results,
    ratios: ratiosOf(results),
  };
}
