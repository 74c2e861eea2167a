/**
 * The gateway: Apollo Server over @apollo/gateway on the committed supergraph, plus the explorer,
 * health, readiness and metrics routes on the same port, and a graceful shutdown.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { CATALOGUE } from '../schema/catalogue.ts';
import { departmentCategoryMap } from '../schema/department-categories.ts';
import { formatClientError } from '../schema/errors.ts';
import { Policy } from '../schema/policy.ts';
import { AccessContextSigner, accessContextLifetime } from '../schema/access-context.ts';
import { listen, sendJson, type Listening } from '../lib/http.ts';
import type { GatewayIdentity } from '../lib/identity/resolve.ts';
import type { OperationsConfig } from '../lib/operations-config.ts';
import type { SharedStore } from '../lib/store/index.ts';
import type { TlsMaterial } from '../lib/tls-config.ts';
import { loadSdl } from '../subgraphs/runtime/sdl.ts';
import { createCallerAuthenticator } from './access/caller.ts';
import { ConsentVerifier } from './access/consent.ts';
import { createOperatorPlugin } from './access/operator-plugin.ts';
import { createRequestAccess } from './access/request-access.ts';
import type { DepartmentLookup } from './access/registry.ts';
import { createSubjectChecksPlugin } from './access/subject-checks-plugin.ts';
import type { AuditLog } from './audit/audit-log.ts';
import type { GroupCommitWriter } from './audit/group-commit.ts';
import { createGraphQLRoute, responseSummaryPlugin } from './graphql-route.ts';
import type { GatewayContext } from './context.ts';
import { DepartmentDataSource } from './data-source.ts';
import { PLATFORM_GRAPH, createPlatformDataSource } from './platform-graph/index.ts';
import { createExplorerRoutes, type ExplorerOptions } from './explorer/routes.ts';
import { createHardening } from './hardening.ts';
import type { ShutdownHook } from './health/drain.ts';
import { createOperationalRoutes } from './health/routes.ts';
import type { Logger } from './observability/logger.ts';
import type { GatewayMetrics } from './observability/metrics.ts';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraph name → URL. Every subgraph of the supergraph must have one. */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  /** Mutual TLS to the departments: client certificate and the departments' CA. */
  departmentTls?: TlsMaterial | undefined;
  host: string;
  port: number;
  /** Serve the explorer at GET /graphql (text/html). */
  explorer?: ExplorerOptions | false;
  introspection?: boolean;
  maxBodyBytes?: number;
  identity: GatewayIdentity;
  store: SharedStore;
  /** Writes one access record per request before its response leaves; null turns auditing off. */
  audit: GroupCommitWriter | null;
  /** The access log the platform graph reads (citizen view, auditors). */
  auditLog: AuditLog | null;
  /** Limits, rate limits, breaker, readiness, drain deadline (defaults: an empty environment). */
  operations?: OperationsConfig;
  logger?: Logger;
  metrics?: GatewayMetrics;
  /** Run in order on close(), once in-flight requests are done and before connections close. */
  shutdownHooks?: ShutdownHook[];
  /** Prefix of rate-limit counters in the shared store (tests isolate themselves with it). */
  rateLimitNamespace?: string;
}

export interface RunningGateway extends Listening {
  apollo: ApolloServer<GatewayContext>;
  metrics: GatewayMetrics;
  logger: Logger;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const policy = new Policy(CATALOGUE);
  const signer = new AccessContextSigner(options.identity.signing.key, {
    departmentCategories: departmentCategoryMap(CATALOGUE, loadSdl),
    lifetimeSeconds: accessContextLifetime(options.subgraphTimeoutMs),
  });
  const hardening = createHardening({
    store: options.store,
    subgraphUrls: options.subgraphUrls,
    departmentTls: options.departmentTls,
    ...(options.operations ? { operations: options.operations } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.rateLimitNamespace ? { rateLimitNamespace: options.rateLimitNamespace } : {}),
  });
  // One data source per department, shared by the query plans and the gateway's own checks, so
  // that both see the same circuit breaker.
  const departments = new Map<string, DepartmentDataSource>();
  const department = (name: string) => {
    let source = departments.get(name);
    if (source) return source;
    const url = options.subgraphUrls[name];
    if (!url) throw new Error(`no URL configured for subgraph ${name}`);
    source = new DepartmentDataSource({
      name,
      url,
      timeoutMs: options.subgraphTimeoutMs,
      signing: options.identity.signing,
      signer,
      tls: options.departmentTls,
      ...hardening.departmentOptions(),
    });
    departments.set(name, source);
    return source;
  };
  const lookup: DepartmentLookup = (subgraph, requestId, query, variables) =>
    department(subgraph).lookup(requestId, query, variables);
  const introspection = options.introspection ?? true;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) =>
      name === PLATFORM_GRAPH
        ? createPlatformDataSource({ store: options.store, auditLog: options.auditLog })
        : department(name),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    introspection,
    // Without introspection the schema is not to be mapped: no "Did you mean" hints either.
    formatError: (formatted) =>
      formatClientError(hardening.formatTokenLimit(formatted), {
        hideSuggestions: !introspection,
      }),
    parseOptions: hardening.parseOptions,
    csrfPrevention: true,
    // Shutdown is ours (drain, flush the access log, close): Apollo Server's own SIGINT/SIGTERM
    // handlers, installed outside tests, stopped it at once and raised the signal again, which
    // ended the drain early with status 1.
    stopOnTerminationSignals: false,
    ...(hardening.persistedQueries ? { persistedQueries: hardening.persistedQueries } : {}),
    plugins: [
      ...hardening.plugins,
      ApolloServerPluginInlineTraceDisabled(),
      createOperatorPlugin(),
      createSubjectChecksPlugin({
        catalogue: CATALOGUE,
        lookup,
        logger: hardening.logger,
      }),
      responseSummaryPlugin,
    ],
  });
  const requestAccess = createRequestAccess({
    authenticate: hardening.rateLimited(
      createCallerAuthenticator({
        keys: options.identity.callerKeys,
        issuer: options.identity.idpIssuer,
        audience: options.identity.audience,
        catalogue: CATALOGUE,
      }),
    ),
    consents: new ConsentVerifier({
      keys: options.identity.consentKeys,
      issuer: options.identity.consentIssuer,
      store: options.store,
      catalogue: CATALOGUE,
    }),
    policy,
    catalogue: CATALOGUE,
  });
  await apollo.start();
  hardening.markSupergraphLoaded();
  const operational = createOperationalRoutes(hardening);
  const explorer = options.explorer ? createExplorerRoutes(options.explorer) : undefined;
  const graphql = createGraphQLRoute({
    apollo,
    requestAccess,
    policy,
    audit: options.audit,
    maxBodyBytes: options.maxBodyBytes ?? hardening.operations.limits.maxBodyBytes,
    logger: hardening.logger,
  });
  const { inFlight, tracker, logger } = hardening;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const leave = inFlight.enter();
    res.once('close', leave);
    // Draining: requests on kept-alive connections are still served, then the connection ends.
    if (inFlight.isDraining) res.setHeader('connection', 'close');
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (await operational(req, res, url)) return;
      if (explorer?.(req, res, url)) return;
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found' });
      const observation = tracker.start(req.headers);
      tracker.finish(observation, await graphql(req, res, url));
    })().catch((error: unknown) => {
      logger.error({ err: { type: (error as Error)?.name } }, 'request failed unexpectedly');
      if (res.headersSent) return res.destroy();
      sendJson(res, 500, {
        errors: [
          { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ],
      });
    });
  };

  const listening = await listen(handler, options.port, options.host);
  logger.info({ port: listening.port }, 'gateway listening');
  let closing: Promise<void> | undefined;
  const shutdown = async () => {
    // Stop accepting; finish what is in flight (its access records included); then close.
    const closed = new Promise<void>((resolve) => listening.server.close(() => resolve()));
    listening.server.closeIdleConnections();
    const drained = await inFlight.drain(hardening.operations.shutdownDrainMs);
    logger.info({ drained, abandoned: inFlight.size }, 'gateway drained');
    for (const hook of options.shutdownHooks ?? []) {
      try {
        await hook();
      } catch (error) {
        logger.error({ err: { type: (error as Error)?.name } }, 'shutdown hook failed');
      }
    }
    listening.server.closeAllConnections();
    await closed;
    await apollo.stop();
    logger.info('gateway closed');
  };
  return {
    ...listening,
    apollo,
    metrics: hardening.metrics,
    logger,
    close: () => (closing ??= shutdown()),
  };
}
