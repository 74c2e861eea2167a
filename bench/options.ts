/** `npm run bench -- [flags]`: what to run, how long, on which storage. */
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * On request only: `floor-stock` is the floor with a stock access context (jose's signer, every
 * consent category, no grouped reports): what the departments are asked by a gateway without
 * ours' protocol, so `floor/floor-stock` is that protocol's effect on the departments alone.
 * `ours-nodelay` is ours with the audit's commit delay off (AUDIT_COMMIT_DELAY_MS=0), so two
 * delays are compared in one interleaved run.
 */
export const GATEWAYS = [
  'ours',
  'ours-noaudit',
  'vanilla',
  'floor',
  'floor-stock',
  'ours-nodelay',
] as const;
export type GatewayName = (typeof GATEWAYS)[number];
const DEFAULT_GATEWAYS: readonly GatewayName[] = ['ours', 'ours-noaudit', 'vanilla', 'floor'];

export interface BenchOptions {
  households: number;
  postgres: boolean;
  databaseUrl: string;
  rounds: number;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  workloads: string[];
  gateways: GatewayName[];
  scale: boolean;
  scaleSizes: number[];
  maxSeedMinutes: number;
  /** Gateways to profile after the measurements (--profile: ours). */
  profile: GatewayName[];
  profileSeconds: number;
  /** Run the departments under --cpu-prof and summarize where their CPU went (measured windows). */
  profileDepartments: boolean;
  /**
   * Each department in its own process (as deployed), all six in one, or `replay`: each in its
   * own process behind a replay of their recorded answers (bench/replay-main.ts), so that the
   * gateway, not the departments sharing its two cores, is the bound.
   */
  departments: 'per-department' | 'one-process' | 'replay';
  /** Ours' AUDIT_COMMIT_DELAY_MS; unset: the gateway's default. */
  auditCommitDelayMs: number | undefined;
  dataDir: string;
}

const USAGE = `usage: npm run bench -- [--households 20000] [--postgres] [--rounds 3]
  [--connections 16] [--warmup 5] [--duration 10] [--workloads household,batch,write]
  [--gateways ours,ours-noaudit,vanilla,floor[,floor-stock][,ours-nodelay]]
  [--profile | --profile-gateways ours,vanilla,floor] [--profile-seconds 20] [--profile-departments]
  [--departments per-department|one-process|replay] [--audit-commit-delay-ms 4]
  [--scale [--scale-sizes 10000,100000,1000000] [--max-seed-minutes 15]]`;

const positive = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};

function departmentsMode(raw: string | undefined): BenchOptions['departments'] {
  if (raw === undefined || raw === 'per-department') return 'per-department';
  if (raw === 'one-process' || raw === 'replay') return raw;
  throw new Error(`--departments must be per-department, one-process or replay\n${USAGE}`);
}

function commitDelay(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 100)
    throw new Error(`--audit-commit-delay-ms must be a whole number from 0 to 100\n${USAGE}`);
  return value;
}

export function parseOptions(argv = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      households: { type: 'string' },
      postgres: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      workloads: { type: 'string' },
      gateways: { type: 'string' },
      scale: { type: 'boolean', default: false },
      'scale-sizes': { type: 'string' },
      'max-seed-minutes': { type: 'string' },
      profile: { type: 'boolean', default: false },
      'profile-gateways': { type: 'string' },
      'profile-seconds': { type: 'string' },
      'profile-departments': { type: 'boolean', default: false },
      departments: { type: 'string' },
      'audit-commit-delay-ms': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const gateways = (values.gateways ?? DEFAULT_GATEWAYS.join(',')).split(',') as GatewayName[];
  const profiled = (values['profile-gateways'] ?? '').split(',').filter(Boolean);
  for (const g of [...gateways, ...profiled]) {
    if (!GATEWAYS.includes(g as GatewayName)) throw new Error(`unknown gateway "${g}"\n${USAGE}`);
  }
  return {
    households: Math.floor(positive('households', values.households, 20_000)),
    // The scale runs are on PostgreSQL by definition.
    postgres: values.postgres || values.scale,
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    rounds: Math.floor(positive('rounds', values.rounds, 3)),
    connections: Math.floor(positive('connections', values.connections, 16)),
    warmupSeconds: positive('warmup', values.warmup, 5),
    durationSeconds: positive('duration', values.duration, 10),
    workloads: (values.workloads ?? 'household,batch,write').split(','),
    gateways,
    scale: values.scale,
    scaleSizes: (values['scale-sizes'] ?? '10000,100000,1000000')
      .split(',')
      .map((s) => Math.floor(positive('scale-sizes', s, 1))),
    maxSeedMinutes: positive('max-seed-minutes', values['max-seed-minutes'], 15),
    profile: values['profile-gateways']
      ? (values['profile-gateways'].split(',') as GatewayName[])
      : values.profile
        ? ['ours']
        : [],
    profileSeconds: positive('profile-seconds', values['profile-seconds'], 20),
    profileDepartments: values['profile-departments'],
    departments: departmentsMode(values.departments),
    auditCommitDelayMs: commitDelay(values['audit-commit-delay-ms']),
    // Stable, so seeded data (and the development keys) are reused between runs.
    dataDir: path.resolve(process.env.BENCH_DATA_DIR ?? '.data/bench'),
  };
}

/** A stable prefix per size: each population is seeded once and kept. */
export const databasePrefix = (households: number) => `bench_${households}_`;

/** Ours' access log: emptied at the start of every run, so runs do not append to each other. */
export const AUDIT_PREFIX = 'bench_audit_';
