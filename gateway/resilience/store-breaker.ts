/**
 * The shared store behind a circuit breaker, as the departments are: a hung Redis would otherwise
 * make every request wait out its command timeouts. After `failureThreshold` consecutive failures
 * calls fail at once (StoreUnavailableError: consent checks answer CONSENT_STATUS_UNAVAILABLE,
 * rate limits count on this replica) until the cool-down ends and one call probes the store.
 */
import {
  RevocationViewStaleError,
  StoreUnavailableError,
  type CounterHit,
  type CounterState,
  type KeptRevocation,
  type RevocationRecord,
  type SharedStore,
} from '../../lib/store/index.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';

export class CircuitOpenError extends StoreUnavailableError {
  constructor() {
    super();
    this.name = 'CircuitOpenError';
  }
}

export class BreakerGuardedStore implements SharedStore {
  readonly kind: SharedStore['kind'];
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly store: SharedStore,
    options: CircuitBreakerOptions,
  ) {
    this.kind = store.kind;
    this.breaker = new CircuitBreaker(options);
  }

  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    const permit = this.breaker.allow();
    if (!permit) throw new CircuitOpenError();
    try {
      const result = await call();
      this.breaker.succeeded(permit);
      return result;
    } catch (error) {
      // A stale view is an answer: the store is alive and is being rebuilt.
      if (error instanceof RevocationViewStaleError) this.breaker.succeeded(permit);
      else if (error instanceof StoreUnavailableError) this.breaker.failed(permit);
      else this.breaker.released(permit);
      throw error;
    }
  }

  revokeConsent(record: RevocationRecord, expiresAt: number): Promise<void> {
    return this.guarded(() => this.store.revokeConsent(record, expiresAt));
  }

  revokedAmong(consentIds: readonly string[]): Promise<Set<string>> {
    return this.guarded(() => this.store.revokedAmong(consentIds));
  }

  loadRevocations(revocations: readonly KeptRevocation[]): Promise<void> {
    return this.guarded(() => this.store.loadRevocations(revocations));
  }

  revocation(consentId: string): Promise<RevocationRecord | null> {
    return this.guarded(() => this.store.revocation(consentId));
  }

  hitCounters(hits: readonly CounterHit[]): Promise<CounterState[]> {
    return this.guarded(() => this.store.hitCounters(hits));
  }

  ping(): Promise<void> {
    return this.guarded(() => this.store.ping());
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
