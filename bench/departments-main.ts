/**
 * Child process: departments, launched exactly as `npm start` and `npm run subgraph` launch them
 * (launchDepartments: migrate, seed once, serve), on free loopback ports.
 *
 * - `seed`: brings all six up once (seeding them if needed), reports a pool of sample households
 *   (with their members, for consent tokens), and waits to be stopped.
 * - `serve`: serves the departments named (their data already seeded), as the deployed platform
 *   runs each department in its own process.
 */
import { loadConfig } from '../lib/config.ts';
import { subgraphVerificationKeys } from '../lib/identity/resolve.ts';
import { sampleHouseholds, type SampleHousehold } from '../subgraphs/household/sample.ts';
import { launchDepartments } from '../subgraphs/runtime/launch.ts';
import { childConfig, runChild, sendToParent, stopWhenAsked } from './child.ts';

export interface DepartmentsConfig {
  dataDir: string;
  databaseUrl?: string;
  databasePrefix: string;
  households: number;
  /** Sample households to report (seed mode). */
  poolSize: number;
  /** Departments to serve; all when missing. */
  names?: string[];
}

export interface DepartmentsReady {
  urls: Record<string, string>;
  pool: SampleHousehold[];
  /** Departments seeded by this start (empty: the data was reused). */
  seeded: string[];
  startSeconds: number;
}

runChild(async () => {
  const options = childConfig<DepartmentsConfig>();
  const config = loadConfig({
    NODE_ENV: 'development',
    DATA_DIR: options.dataDir,
    SEED_HOUSEHOLDS: String(options.households),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const started = Date.now();
  const departments = await launchDepartments({
    ...(options.names ? { names: options.names } : {}),
    accessKeys: await subgraphVerificationKeys(config),
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    databasePrefix: options.databasePrefix,
    host: '127.0.0.1',
    ports: {},
    seed: config.seed,
    households: config.seedHouseholds,
    onProgress: (done, total) => sendToParent({ progress: { done, total } }),
  });
  stopWhenAsked(() => departments.close());
  const registry = departments.departments.find((d) => d.definition.name === 'household');
  const pool: SampleHousehold[] =
    registry && options.poolSize > 0
      ? await sampleHouseholds(registry.database.db, options.poolSize)
      : [];
  const ready: DepartmentsReady = {
    urls: departments.urls,
    pool,
    seeded: departments.seeded,
    startSeconds: (Date.now() - started) / 1000,
  };
  sendToParent({ ready });
});
