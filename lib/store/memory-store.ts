/**
 * The single-process store: maps with expiry. Its revocation view lives and dies with the
 * process, so it is complete once the platform has loaded it at start.
 */
import type {
  CounterHit,
  CounterState,
  KeptRevocation,
  RevocationRecord,
  SharedStore,
} from './shared-store.ts';

export class MemoryStore implements SharedStore {
  readonly kind = 'memory' as const;
  private readonly revocations = new Map<string, { record: RevocationRecord; expiresAt: number }>();
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  private nextCounterSweep = 0;

  async revokeConsent(record: RevocationRecord, expiresAt: number): Promise<void> {
    this.keep(record, expiresAt);
    this.sweep();
  }

  /** The first revocation (time, who, why) is the one kept. */
  private keep(record: RevocationRecord, expiresAt: number): void {
    if (!this.revocations.has(record.consentId)) {
      this.revocations.set(record.consentId, { record, expiresAt });
    }
  }

  async loadRevocations(revocations: readonly KeptRevocation[]): Promise<void> {
    for (const { record, expiresAt } of revocations) this.keep(record, expiresAt);
    this.sweep();
  }

  async revokedAmong(consentIds: readonly string[]): Promise<Set<string>> {
    const now = Date.now();
    return new Set(consentIds.filter((id) => (this.revocations.get(id)?.expiresAt ?? 0) > now));
  }

  async revocation(consentId: string): Promise<RevocationRecord | null> {
    const entry = this.revocations.get(consentId);
    return entry && entry.expiresAt > Date.now() ? entry.record : null;
  }

  async hitCounters(hits: readonly CounterHit[]): Promise<CounterState[]> {
    const now = Date.now();
    this.sweepCounters(now);
    return hits.map(({ key, windowMs }) => {
      let counter = this.counters.get(key);
      if (!counter || counter.resetAt <= now) {
        counter = { count: 0, resetAt: now + windowMs };
        this.counters.set(key, counter);
      }
      counter.count += 1;
      return { count: counter.count, resetInMs: counter.resetAt - now };
    });
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  /** Drops ended windows now and then, so that one-off clients do not accumulate. */
  private sweepCounters(now: number): void {
    if (now < this.nextCounterSweep) return;
    this.nextCounterSweep = now + 10_000;
    for (const [key, counter] of this.counters)
      if (counter.resetAt <= now) this.counters.delete(key);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.revocations)
      if (entry.expiresAt <= now) this.revocations.delete(id);
  }
}
