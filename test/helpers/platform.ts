/** Starts real departments (and the gateway) on free ports with a small, fresh data set. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../lib/config.ts';
import { dropPostgresSchema } from '../../lib/db.ts';
import { SUBGRAPHS } from '../../schema/catalogue.ts';
import {
  startPlatform,
  type PlatformOptions,
  type RunningPlatform,
} from '../../gateway/platform.ts';
import { AUDIT_DATABASE } from '../../gateway/audit/index.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import { gatewayIdentity } from '../../lib/identity/resolve.ts';
import type { SharedStore } from '../../lib/store/index.ts';
import { readSupergraph } from '../../schema/compose.ts';
import { launchDepartments, type LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';

export const TEST_SEED = 7;
export const TEST_HOUSEHOLDS = 300;

export interface TestStorage {
  dataDir: string;
  databaseUrl: string | undefined;
  databasePrefix: string;
  cleanup(): Promise<void>;
}

/** A fresh data folder, and on PostgreSQL a unique schema prefix dropped afterwards. */
export function testStorage(databaseUrl?: string): TestStorage {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gd-test-'));
  const databasePrefix = `t${process.pid}_${Math.random().toString(36).slice(2, 8)}_`;
  return {
    dataDir,
    databaseUrl,
    databasePrefix,
    cleanup: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (databaseUrl) {
        for (const name of [...SUBGRAPHS.map((s) => s.name), AUDIT_DATABASE]) {
          await dropPostgresSchema(databaseUrl, `${databasePrefix}${name}`);
        }
      }
    },
  };
}

export async function launchTestDepartments(
  storage: TestStorage,
  names?: string[],
  households = TEST_HOUSEHOLDS,
): Promise<LaunchedDepartments> {
  // Imported lazily: access.ts imports this module for its constants.
  const { testGatewayKeys } = await import('./access.ts');
  return launchDepartments({
    accessKeys: testGatewayKeys.publicKey,
    ...(names ? { names } : {}),
    dataDir: storage.dataDir,
    databaseUrl: storage.databaseUrl,
    databasePrefix: storage.databasePrefix,
    host: '127.0.0.1',
    seed: TEST_SEED,
    households,
  });
}

export async function startTestPlatform(
  storage: TestStorage,
  env: Record<string, string> = {},
  options: PlatformOptions = {},
): Promise<RunningPlatform> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: storage.dataDir,
    SEED: String(TEST_SEED),
    SEED_HOUSEHOLDS: String(TEST_HOUSEHOLDS),
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
    ...env,
  });
  return startPlatform(config, {
    anyPorts: true,
    databasePrefix: storage.databasePrefix,
    ...options,
  });
}

export interface GraphQLResult {
  status: number;
  /** The parsed GraphQL response; tests assert its shape. */
  body: any;
  text: string;
}

export async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

/**
 * A second gateway replica of a running test platform: the same departments, keys and access log
 * (its records land in the same log), its own shared store (its own Redis connection).
 */
export async function startReplicaGateway(
  platform: RunningPlatform,
  storage: TestStorage,
  store: SharedStore,
  env: Record<string, string> = {},
  rateLimitNamespace?: string,
): Promise<RunningGateway> {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: storage.dataDir, ...env });
  return startGateway({
    supergraphSdl: readSupergraph(),
    subgraphUrls: platform.departments.urls,
    subgraphTimeoutMs: 5000,
    host: '127.0.0.1',
    port: 0,
    identity: await gatewayIdentity(config),
    store,
    audit: platform.audit.writer,
    auditLog: platform.audit.log,
    operations: config.operations,
    ...(rateLimitNamespace ? { rateLimitNamespace } : {}),
  });
}
