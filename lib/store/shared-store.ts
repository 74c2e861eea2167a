/**
 * Shared state between gateway replicas: consent revocations now (rate limits and caches later).
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

export interface SharedStore {
  readonly kind: 'memory' | 'redis';
  /** Marks a consent revoked until `expiresAt` (ms since epoch), when it is dead anyway. */
  revokeConsent(record: RevocationRecord, expiresAt: number): Promise<void>;
  /** Which of these consent ids are revoked (one round trip). */
  revokedAmong(consentIds: readonly string[]): Promise<Set<string>>;
  revocation(consentId: string): Promise<RevocationRecord | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
