/**
 * What a production gateway adds around Apollo, assembled in one place from the operations
 * configuration: operation limits and trusted documents (Apollo plugins), rate limits (right
 * after authentication), the circuit breaker and metrics of department calls, logs and metrics
 * per request, readiness, and the in-flight count a graceful shutdown drains.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { PersistedQueryOptions } from '@apollo/server';
import { defaultOperationsConfig, type OperationsConfig } from '../lib/operations-config.ts';
import type { SharedStore } from '../lib/store/index.ts';
import type { TlsMaterial } from '../lib/tls-config.ts';
import type { CallerAuthenticator } from './access/caller.ts';
import type { GatewayContext } from './context.ts';
import type { DepartmentDataSourceOptions } from './data-source.ts';
import { InFlightRequests } from './health/drain.ts';
import { createReadiness } from './health/readiness.ts';
import { createOperationLimitsPlugin, tokenLimitError } from './limits/operation-limits-plugin.ts';
import { createOperationResolutionPlugin } from './limits/operation-resolution-plugin.ts';
import { createRateLimiter } from './limits/rate-limit.ts';
import {
  TrustedDocumentCache,
  createTrustedDocumentsPlugin,
  loadTrustedDocuments,
} from './limits/trusted-documents.ts';
import { createInternalErrorsPlugin } from './observability/internal-errors-plugin.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createGatewayMetrics, type GatewayMetrics } from './observability/metrics.ts';
import { RequestTracker } from './observability/request-tracker.ts';

export interface HardeningOptions {
  /** Defaults: what an empty environment gives under this NODE_ENV. */
  operations?: OperationsConfig;
  store: SharedStore;
  subgraphUrls: Record<string, string>;
  /** The gateway's client certificate for the departments' readiness probes (mutual TLS). */
  departmentTls?: TlsMaterial | undefined;
  logger?: Logger;
  metrics?: GatewayMetrics;
  /** Prefix of rate-limit counters in the shared store (tests isolate themselves with it). */
  rateLimitNamespace?: string;
}

/** Warns at most once a minute about one recurring problem. */
function throttledWarning(logger: Logger, message: string): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    logger.warn(message);
  };
}

export function createHardening(options: HardeningOptions) {
  const operations = options.operations ?? defaultOperationsConfig(process.env.NODE_ENV);
  const logger = options.logger ?? createLogger({ level: operations.logLevel });
  const metrics = options.metrics ?? createGatewayMetrics();
  const tracker = new RequestTracker(logger, metrics);
  const inFlight = new InFlightRequests();
  let supergraphLoaded = false;

  const trusted = operations.trustedDocuments.manifestPath
    ? loadTrustedDocuments(operations.trustedDocuments.manifestPath)
    : undefined;
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    // First: the others' didResolveOperation hooks assume an operation was resolved.
    createOperationResolutionPlugin<GatewayContext>(),
    createInternalErrorsPlugin(logger),
    createOperationLimitsPlugin<GatewayContext>({
      ...operations.limits,
      onRefused: (limit) => metrics.limitRefusals.inc({ limit }),
    }),
  ];
  if (trusted) {
    plugins.push(
      createTrustedDocumentsPlugin({
        documents: trusted,
        enforce: operations.trustedDocuments.enforce,
      }),
    );
  }
  const persistedQueries: PersistedQueryOptions | undefined = trusted
    ? { cache: new TrustedDocumentCache(trusted) }
    : undefined;

  const storeDown = throttledWarning(
    logger,
    'shared store unreachable: rate limits are counted on this replica alone until it returns',
  );
  const rateLimit = createRateLimiter({
    store: options.store,
    ...operations.rateLimit,
    ...(options.rateLimitNamespace ? { namespace: options.rateLimitNamespace } : {}),
    onStoreUnavailable: () => {
      metrics.storeErrors.inc({ use: 'rate_limit' });
      storeDown();
    },
    onLimited: (scope) => metrics.rateLimited.inc({ scope }),
  });
  /** Rate limits apply as soon as the caller is known, before consents are verified. */
  const rateLimited =
    (authenticate: CallerAuthenticator): CallerAuthenticator =>
    async (authorization) => {
      const caller = await authenticate(authorization);
      await rateLimit(caller);
      return caller;
    };

  const departmentOptions = (): Pick<
    DepartmentDataSourceOptions,
    'circuitBreaker' | 'observer'
  > => ({
    circuitBreaker: operations.circuitBreaker,
    observer: {
      call: metrics.subgraphObserver.call,
      circuit: (subgraph, state) => {
        metrics.subgraphObserver.circuit(subgraph, state);
        logger.warn({ subgraph, circuit: state }, 'department circuit breaker changed state');
      },
    },
  });

  const readiness = createReadiness({
    subgraphUrls: options.subgraphUrls,
    store: options.store,
    requires: operations.readinessRequires,
    supergraphLoaded: () => supergraphLoaded,
    draining: () => inFlight.isDraining,
    tls: options.departmentTls,
  });

  return {
    operations,
    /** Apollo options: the parser stops at the token limit; its refusal is QUERY_TOO_COMPLEX. */
    parseOptions: { maxTokens: operations.limits.maxTokens },
    formatTokenLimit: tokenLimitError,
    logger,
    metrics,
    tracker,
    inFlight,
    plugins,
    persistedQueries,
    rateLimited,
    departmentOptions,
    readiness,
    markSupergraphLoaded: () => {
      supergraphLoaded = true;
    },
  };
}

export type Hardening = ReturnType<typeof createHardening>;
