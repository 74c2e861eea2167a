/**
 * Shared state between gateway replicas: consent revocations and rate-limit counters.
 * In memory for a single process by default; Redis when REDIS_URL is set. A store that cannot be
 * read throws StoreUnavailableError, and callers fail closed.
 */

export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('shared store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

export interface RevocationRecord {
  consentId: string;
  revokedAt: string;
  /** Department or system that revoked it. */
  revokedBy: string;
  reason: string;
}

/** One hit on a fixed-window counter: the window starts with the counter's first hit. */
export interface CounterHit {
  key: string;
  windowMs: number;
}

export interface CounterState {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the counter starts again from zero. */
  resetInMs: number;
}

export interface SharedStore {
  readonly kind: 'memory' | 'redis';
  /** Marks a consent revoked until `expiresAt` (ms since epoch), when it is dead anyway. */
  revokeConsent(record: RevocationRecord, expiresAt: number): Promise<void>;
  /** Which of these consent ids are revoked (one round trip). */
  revokedAmong(consentIds: readonly string[]): Promise<Set<string>>;
  revocation(consentId: string): Promise<RevocationRecord | null>;
  /**
   * Adds one hit to each counter and returns their states, atomically and in one round trip, so
   * that every replica counts against the same windows.
   */
  hitCounters(hits: readonly CounterHit[]): Promise<CounterState[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
