/**
 * The gateway's shared store as it runs: Redis (behind its circuit breaker) or memory as the fast
 * view, revocations kept in the platform's database and the view rebuilt from it here, at start.
 */
import { StoreUnavailableError, createSharedStore } from '../../lib/store/index.ts';
import type { Logger } from '../observability/logger.ts';
import { BreakerGuardedStore } from '../resilience/store-breaker.ts';
import { DurableRevocationStore } from './durable-store.ts';
import { RevocationLedger } from './revocation-ledger.ts';

export interface SharedStateOptions {
  redisUrl: string | undefined;
  /** The platform's database (the access log's, lib/db.ts), migrated. */
  database: { readonly db: unknown };
  storeCircuitBreaker: { failureThreshold: number; cooldownMs: number };
  logger?: Logger;
}

/** Errors as their type and code only: a driver's message may quote what it refused. */
const described = (error: unknown) => ({
  type: (error as Error)?.name ?? typeof error,
  code: (error as { code?: string })?.code ?? null,
});

export function createSharedState(options: SharedStateOptions): DurableRevocationStore {
  const { logger } = options;
  const store = createSharedStore(options.redisUrl);
  const view =
    store.kind === 'redis'
      ? new BreakerGuardedStore(store, {
          ...options.storeCircuitBreaker,
          onStateChange: (state) =>
            logger?.warn({ circuit: state }, 'shared store circuit breaker changed state'),
        })
      : store;
  return new DurableRevocationStore(view, new RevocationLedger(options.database), {
    onRebuilt: (revocations) => logger?.info({ revocations }, 'revocation view rebuilt'),
    onRebuildFailed: (error) =>
      logger?.warn(
        { err: described(error) },
        'revocation view not rebuilt; consent-guarded data is refused until it is',
      ),
    onViewWriteFailed: (error) =>
      logger?.warn(
        { err: described(error) },
        'a recorded revocation is not in the shared store yet; retrying',
      ),
  });
}

/**
 * The warning production logs at every start on the in-memory store (only reachable with
 * ALLOW_MEMORY_STORE=single-replica: lib/config.ts refuses it otherwise).
 */
export function memoryStoreWarning(config: {
  env: string;
  redisUrl: string | undefined;
}): string | undefined {
  if (config.env !== 'production' || config.redisUrl) return undefined;
  return (
    'ALLOW_MEMORY_STORE=single-replica: shared state is in this process only; run exactly one ' +
    'gateway replica, or set REDIS_URL'
  );
}

/**
 * Fills the view before the gateway serves. A Redis that does not answer yet is no reason to stop:
 * its view stays stale, so consents are refused until the first check finds it back and rebuilds
 * it. A ledger that cannot be read is: the memory view would be trusted without its revocations.
 */
export async function rebuildAtStart(store: DurableRevocationStore): Promise<void> {
  try {
    await store.rebuild();
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
  }
}
