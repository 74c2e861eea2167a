/**
 * Brings departments up: open each database, migrate, seed once, and serve. Used by `npm start`,
 * `npm run subgraph`, the benchmarks and the tests, so they all run the same path.
 */
import { openDatabase, type Database } from '../../lib/db.ts';
import type { TlsMaterial } from '../../lib/tls-config.ts';
import type { AnyTables, SubgraphDefinition } from './definition.ts';
import { createReplayCache, type ReplayCache } from './replay-cache.ts';
import { loadDefinitions } from './registry.ts';
import { ensureSeeded } from './seeding.ts';
import {
  prepareDatabase,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphServerOptions,
} from './server.ts';

export interface LaunchOptions {
  names?: readonly string[];
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Prefix of every database name (tests isolate PostgreSQL schemas with it). */
  databasePrefix?: string;
  host: string;
  /** Port per subgraph; 0 or missing picks a free one. */
  ports?: Record<string, number>;
  seed: number;
  households: number;
  onProgress?: (done: number, total: number, names: string[]) => void;
  /** Keys that verify the gateway's access contexts. */
  accessKeys: SubgraphServerOptions['accessKeys'];
  /**
   * Redis for the access-context replay cache, shared with the department's other replicas
   * (unset: this process's memory, right for a department that runs once).
   */
  redisUrl?: string | undefined;
  /** Prefix of the replay cache's Redis keys (tests isolate themselves with it). */
  replayKeyPrefix?: string;
  /** Serve HTTPS and require the gateway's client certificate (mutual TLS). */
  tls?: TlsMaterial | undefined;
}

export interface Department {
  definition: SubgraphDefinition;
  database: Database<AnyTables>;
  server: RunningSubgraph;
}

export interface LaunchedDepartments {
  departments: Department[];
  /** Subgraph name → URL, for the gateway. */
  urls: Record<string, string>;
  /** Which departments were seeded on this start (empty when the data was reused). */
  seeded: string[];
  close(): Promise<void>;
}

export async function launchDepartments(options: LaunchOptions): Promise<LaunchedDepartments> {
  const definitions = await loadDefinitions(options.names);
  const opened: { definition: SubgraphDefinition; database: Database<AnyTables> }[] = [];
  let replayCache: ReplayCache | undefined;
  try {
    for (const definition of definitions) {
      const database = await openDatabase({
        name: `${options.databasePrefix ?? ''}${definition.name}`,
        dataDir: options.dataDir,
        databaseUrl: options.databaseUrl,
      });
      opened.push({ definition, database });
      await prepareDatabase(definition, database);
    }
    const seeded = await ensureSeeded(opened, {
      seed: options.seed,
      households: options.households,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const departments: Department[] = [];
    // One for the departments of this process: its keys name the department.
    replayCache = createReplayCache(options.redisUrl, {
      ...(options.replayKeyPrefix ? { keyPrefix: options.replayKeyPrefix } : {}),
    });
    for (const { definition, database } of opened) {
      const server = await startSubgraph(definition, database, {
        host: options.host,
        port: options.ports?.[definition.name] ?? 0,
        accessKeys: options.accessKeys,
        replayCache,
        tls: options.tls,
      });
      departments.push({ definition, database, server });
    }
    const urls = Object.fromEntries(departments.map((d) => [d.definition.name, d.server.url]));
    return {
      departments,
      urls,
      seeded,
      close: async () => {
        await Promise.all(departments.map((d) => d.server.close()));
        await Promise.all(departments.map((d) => d.database.close()));
        await replayCache?.close();
      },
    };
  } catch (error) {
    await replayCache?.close();
    await Promise.all(opened.map((o) => o.database.close().catch(() => undefined)));
    throw error;
  }
}

/** Departments that run in other processes: the gateway knows their URLs and starts none. */
export function departmentsElsewhere(urls: Record<string, string>): LaunchedDepartments {
  return { departments: [], urls: { ...urls }, seeded: [], close: async () => undefined };
}
