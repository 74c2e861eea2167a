/**
 * The development platform in one process: departments (seeded on first start) and the gateway.
 * `npm start` runs it; integration tests run the same function on free ports.
 */
import type { PlatformConfig } from '../lib/config.ts';
import { gatewayIdentity, subgraphVerificationKeys } from '../lib/identity/resolve.ts';
import { createSharedStore, type SharedStore } from '../lib/store/index.ts';
import { launchDepartments, type LaunchedDepartments } from '../subgraphs/runtime/launch.ts';
import { readSupergraph } from '../schema/compose.ts';
import { sampleHouseholds, type SampleHousehold } from '../subgraphs/household/sample.ts';
import { startGateway, type RunningGateway } from './server.ts';
import { HOUSEHOLD_QUERY } from './sample-query.ts';
import { developmentPresets } from './explorer/presets.ts';
import { openAudit, type Audit } from './audit/index.ts';
import { createLogger, type Logger } from './observability/logger.ts';
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
}

export interface RunningPlatform {
  gateway: RunningGateway;
  departments: LaunchedDepartments;
  sample: SampleHousehold | undefined;
  store: SharedStore;
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
  log(
    `Starting departments (${storage}, seed ${config.seed}, ${config.seedHouseholds.toLocaleString('en')} households)…`,
  );
  const started = Date.now();
  const identity = await gatewayIdentity(config);
  const departments = await launchDepartments({
    accessKeys: await subgraphVerificationKeys(config),
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    ...(options.databasePrefix ? { databasePrefix: options.databasePrefix } : {}),
    host: config.host,
    ports: options.anyPorts ? {} : config.subgraphPorts,
    seed: config.seed,
    households: config.seedHouseholds,
    onProgress: progressReporter(log),
  });
  const store = createSharedStore(config.redisUrl);
  const supergraphSdl = readSupergraph();
  const metrics = createGatewayMetrics();
  const logger = options.logger ?? createLogger({ level: config.operations.logLevel });
  let audit: Audit | undefined;
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
    if (store.kind === 'redis') log(await redisStatus(store));
    if (departments.seeded.length > 0) {
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
    for (const d of departments.departments)
      log(`  ${d.definition.name.padEnd(11)} ${d.server.url}`);
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
        await store.close();
      },
    };
  } catch (error) {
    await audit?.close();
    await departments.close();
    await store.close();
    throw error;
  }
}
