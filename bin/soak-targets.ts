/**
 * What the soak runs against: the whole platform in the soak's own process (`npm start`'s
 * layout), or each department and the gateway in its own (bin/soak-processes.ts).
 */
import v8 from 'node:v8';
import type { Kysely } from 'kysely';
import type { PlatformConfig } from '../lib/config.ts';
import { openDatabase, sql } from '../lib/db.ts';
import { startPlatform } from '../gateway/platform.ts';
import { AUDIT_DATABASE } from '../gateway/audit/index.ts';
import type { HouseholdDB } from '../subgraphs/household/tables.ts';
import { startSoakProcesses, type MeasuredProcess } from './soak-processes.ts';

export interface TargetOptions {
  config: PlatformConfig;
  /** The environment the separate processes get (the platform settings included). */
  env: NodeJS.ProcessEnv;
  databasePrefix: string;
  /** Separate processes, with the gateway's Node flags; undefined: one process. */
  processes: { gatewayNodeFlags: string } | undefined;
}

/** What the soak runs against: the gateway's URL, the processes it measures, and how to stop. */
export interface Target {
  url: string;
  measured: MeasuredProcess[];
  household: Kysely<HouseholdDB>;
  accessRecords(): Promise<number>;
  close(): Promise<void>;
}

async function inProcess(options: TargetOptions): Promise<Target> {
  const { config, databasePrefix } = options;
  const platform = await startPlatform(config, { anyPorts: true, databasePrefix });
  const registry = platform.departments.departments.find((d) => d.definition.name === 'household')!;
  return {
    url: platform.gateway.url,
    measured: [
      {
        name: 'platform + load generator',
        pid: process.pid,
        memory: async () => process.memoryUsage(),
        snapshot: async (file) => v8.writeHeapSnapshot(file),
      },
    ],
    household: registry.database.db as unknown as Kysely<HouseholdDB>,
    accessRecords: () => platform.audit.log.count(),
    close: () => platform.close(),
  };
}

async function separateProcesses(
  options: TargetOptions,
  gatewayNodeFlags: string,
): Promise<Target> {
  const { dataDir } = options.config;
  const started = await startSoakProcesses(
    options.env,
    gatewayNodeFlags.split(/\s+/).filter(Boolean),
  );
  const registry = await openDatabase<HouseholdDB>({ name: 'household', dataDir });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await registry.close();
    await started.close();
  };
  return {
    url: started.gatewayUrl,
    measured: started.processes,
    household: registry.db,
    // Counted after the gateway stopped (its access log is flushed by then).
    accessRecords: async () => {
      await close();
      const log = await openDatabase<{ access_log: { seq: number } }>({
        name: AUDIT_DATABASE,
        dataDir,
      });
      try {
        const row = await log.db
          .selectFrom('access_log')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      } finally {
        await log.close();
      }
    },
    close,
  };
}

export function startSoakTarget(options: TargetOptions): Promise<Target> {
  return options.processes
    ? separateProcesses(options, options.processes.gatewayNodeFlags)
    : inProcess(options);
}
