/**
 * Shared state between gateway replicas: the fast view of consent revocations, and rate-limit
 * counters. In memory for a single process by default; Redis when REDIS_URL is set. The view is
 * not where revocations are kept: the platform's database is (gateway/revocations/), and the view
 * is rebuilt from it. A store that cannot be read throws StoreUnavailableError, and callers fail
 * closed.
 */

export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('shared store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The store answered, but its revocation view is not known to be complete (a Redis that restarted
 * came back empty, or from an older snapshot): it must be rebuilt from the database first.
 */
export class RevocationViewStaleError extends StoreUnavailableError {
  constructor() {
    super();
    this.name = 'RevocationViewStaleError';
  }
}

export interface RevocationRecord {
  consentId: string;
  revokedAt: string;
  /** Department or system that revoked it. */
  revokedBy: string;
  reason: string;
}

/** A revocation and when it may be forgotten (ms since epoch): its consent is dead by then. */
export interface KeptRevocation {
  record: RevocationRecord;
  expiresAt: number;
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
  /**
   * Which of these consent ids are revoked (one round trip). Throws RevocationViewStaleError
   * when the view is not known to hold every revocation.
   */
  revokedAmong(consentIds: readonly string[]): Promise<Set<string>>;
  /** Puts these revocations (the first of each kept) and marks the view complete. */
  loadRevocations(revocations: readonly KeptRevocation[]): Promise<void>;
  revocation(consentId: string): Promise<RevocationRecord | null>;
  /**
   * Adds one hit to each counter and returns their states, atomically and in one round trip, so
   * that every replica counts against the same windows.
   */
  hitCounters(hits: readonly CounterHit[]): Promise<CounterState[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
