/**
 * The development platform in one process: departments (seeded on first start) and the gateway.
 * `npm start` runs it; integration tests run the same function on free ports. With
 * `remoteDepartments` it is the gateway alone (`npm run gateway`): no department runs in this
 * process, and the gateway calls (and /readyz probes) the departments at the URLs given.
 */
import { ConfigError, type PlatformConfig } from '../lib/config.ts';
import { gatewayIdentity, subgraphVerificationKeys } from '../lib/identity/resolve.ts';
import type { SharedStore } from '../lib/store/index.ts';
import {
  departmentsElsewhere,
  launchDepartments,
  type LaunchedDepartments,
} from '../subgraphs/runtime/launch.ts';
import { readSupergraph } from '../schema/compose.ts';
import { sampleHouseholds, type SampleHousehold } from '../subgraphs/household/sample.ts';
import { startGateway, type RunningGateway } from './server.ts';
import { HOUSEHOLD_QUERY } from './sample-query.ts';
import { developmentPresets } from './explorer/presets.ts';
import { openAudit, type Audit } from './audit/index.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import {
  createSharedState,
  memoryStoreWarning,
  rebuildAtStart,
} from './revocations/shared-state.ts';
import type { DurableRevocationStore } from './revocations/durable-store.ts';
import { createGatewayMetrics } from './observability/metrics.ts';

export interface PlatformOptions {
  log?: (line: string) => void;
  /** Use free ports everywhere (tests). */
  anyPorts?: boolean;
  databasePrefix?: string;
  /** The gateway's structured log (default: JSON lines on stdout at LOG_LEVEL). */
  logger?: Logger;
  /** Prefix of rate-limit counters in the shared store (tests isolate themselves with it). */
  rateLimitNamespace?: string;
  /** Departments running elsewhere (name → GraphQL URL): none is started in this process. */
  remoteDepartments?: Record<string, string>;
}

export interface RunningPlatform {
  gateway: RunningGateway;
  departments: LaunchedDepartments;
  sample: SampleHousehold | undefined;
  store: DurableRevocationStore;
  audit: Audit;
  close(): Promise<void>;
}

function progressReporter(log: (line: string) => void) {
  let lastShown = 0;
  return (done: number, total: number, names: string[]) => {
    const now = Date.now();
    if (done < total && now - lastShown < 1000) return;
    lastShown = now;
    const pct = Math.floor((done / total) * 100);
    log(
      `  seeding ${names.join(', ')}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} households (${pct}%)`,
    );
  };
}

/** The banner's first query: real ids, and the commands that make the headers. */
function firstSteps(url: string, sample: SampleHousehold): string {
  const body = JSON.stringify({
    query: 'query($id: ID!) { household(id: $id) { address members { name relationToHead } } }',
    variables: { id: sample.household },
  });
  return [
    `Explorer: open ${url} in a browser and pick an "Act as" preset.`,
    `Sample household ${sample.household}, members ${sample.members.join(', ')} (npm run sample lists more).`,
    'From a shell:',
    '  TOKEN=$(npm run -s token -- civil-affairs)',
    `  CONSENT=$(npm run -s consent -- --household ${sample.household} --grantee civil-affairs --purpose dibao)`,
    `  curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
    `    -H 'x-purpose: dibao' -H 'x-operator-id: officer-001' -H "x-consent-token: $CONSENT" \\`,
    `    -d '${body}'`,
  ].join('\n');
}

/** Waits briefly for Redis; the platform still starts without it, failing closed per request. */
async function redisStatus(store: SharedStore): Promise<string> {
  for (const deadline = Date.now() + 3000; Date.now() < deadline;) {
    try {
      await store.ping();
      return '  shared store: Redis reachable';
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return '  shared store: Redis NOT reachable; consent-guarded data is refused until it is';
}

export async function startPlatform(
  config: PlatformConfig,
  options: PlatformOptions = {},
): Promise<RunningPlatform> {
  const log = options.log ?? (() => undefined);
  const storage = config.databaseUrl ? 'PostgreSQL' : `embedded SQLite in ${config.dataDir}`;
  const remote = options.remoteDepartments;
  log(
    remote
      ? `Starting the gateway alone (access log on ${storage}); departments run elsewhere…`
      : `Starting departments (${storage}, seed ${config.seed}, ${config.seedHouseholds.toLocaleString('en')} households)…`,
  );
  const started = Date.now();
  // Departments that require client certificates would refuse this process's own gateway.
  if (config.subgraphTls && !config.gatewayTls)
    throw new ConfigError([
      'SUBGRAPH_TLS_* makes the departments require a client certificate: set GATEWAY_TLS_* too',
    ]);
  const identity = await gatewayIdentity(config);
  const departments = remote
    ? departmentsElsewhere(remote)
    : await launchDepartments({
        accessKeys: await subgraphVerificationKeys(config),
        // One process, one replica of each department: its replay cache is this process's
        // memory. Redis is for departments run as several replicas (npm run subgraph).
        tls: config.subgraphTls,
        dataDir: config.dataDir,
        databaseUrl: config.databaseUrl,
        ...(options.databasePrefix ? { databasePrefix: options.databasePrefix } : {}),
        host: config.host,
        ports: options.anyPorts ? {} : config.subgraphPorts,
        seed: config.seed,
        households: config.seedHouseholds,
        onProgress: progressReporter(log),
      });
  const supergraphSdl = readSupergraph();
  const metrics = createGatewayMetrics();
  const logger = options.logger ?? createLogger({ level: config.operations.logLevel });
  let audit: Audit | undefined;
  let store: DurableRevocationStore | undefined;
  try {
    audit = await openAudit({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      ...(options.databasePrefix ? { databasePrefix: options.databasePrefix } : {}),
      supergraphSdl,
      commitDelayMs: config.operations.auditCommitDelayMs,
      onFlush: (seconds, size) => metrics.observeAuditFlush(seconds, size),
      // The error's type and code only (SQLITE_FULL, ECONNREFUSED, …): a database's message may
      // quote what it refused.
      onFailure: (cause, size) =>
        logger.error(
          {
            err: {
              type: (cause as Error)?.name ?? typeof cause,
              code: (cause as { code?: string })?.code ?? null,
            },
            records: size,
          },
          'access log group not written; its responses were withheld (AUDIT_UNAVAILABLE)',
        ),
      onConnectionChange: ({ state, code }) =>
        state === 'lost'
          ? logger.error(
              { err: { code } },
              'access log database connection lost; responses are withheld (AUDIT_UNAVAILABLE) until it is back',
            )
          : logger.info('access log database connection restored'),
      onCheckpointerError: (error) =>
        logger.warn(
          { err: { type: error.name, code: (error as { code?: string }).code } },
          'access log checkpointer stopped; the log writer checkpoints inside its commits from now on',
        ),
    });
    store = createSharedState({
      redisUrl: config.redisUrl,
      database: audit.log.database,
      storeCircuitBreaker: config.operations.storeCircuitBreaker,
      logger,
    });
    if (store.kind === 'redis') log(await redisStatus(store));
    const warning = memoryStoreWarning(config);
    if (warning) logger.warn(warning);
    await rebuildAtStart(store);
    // Departments elsewhere seed their own databases when they start.
    if (remote) log('  no department in this process');
    else if (departments.seeded.length > 0) {
      log(
        `  seeded ${departments.seeded.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } else {
      log('  reusing the seeded data');
    }
    const household = departments.departments.find((d) => d.definition.name === 'household');
    const [sample] = household ? await sampleHouseholds(household.database.db, 1) : [];
    const gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: departments.urls,
      subgraphTimeoutMs: config.subgraphTimeoutMs,
      departmentTls: config.gatewayTls,
      host: config.host,
      port: options.anyPorts ? 0 : config.gatewayPort,
      // In production the explorer comes with introspection (INTROSPECTION=true), never presets.
      explorer:
        config.env === 'production' && !config.operations.introspection
          ? false
          : {
              defaultQuery: HOUSEHOLD_QUERY,
              defaultVariables: JSON.stringify({ id: sample?.household ?? '' }, null, 2),
              presets:
                sample && config.env !== 'production'
                  ? await developmentPresets(config.dataDir, sample)
                  : [],
            },
      introspection: config.operations.introspection,
      identity,
      store,
      audit: audit.writer,
      auditLog: audit.log,
      operations: config.operations,
      logger,
      metrics,
      shutdownHooks: [() => audit!.writer.flush()],
      ...(options.rateLimitNamespace ? { rateLimitNamespace: options.rateLimitNamespace } : {}),
    });
    for (const [name, url] of Object.entries(departments.urls))
      log(`  ${name.padEnd(11)} ${url}${remote ? ' (elsewhere)' : ''}`);
    log(`Gateway ready: ${gateway.url}  (open it in a browser for the explorer)`);
    if (sample && config.env !== 'production') log(firstSteps(gateway.url, sample));
    return {
      gateway,
      departments,
      sample,
      store,
      audit,
      close: async () => {
        await gateway.close();
        await audit!.close();
        await departments.close();
        await store!.close();
      },
    };
  } catch (error) {
    await store?.close();
    await audit?.close();
    await departments.close();
    throw error;
  }
}
