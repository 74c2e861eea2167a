/**
 * The shared store with revocations made durable: a revocation is written to the ledger (the
 * platform's database) and committed before it is acknowledged, then put into the shared view
 * (Redis or memory) that consent checks read on the hot path. The view is rebuilt from the ledger
 * at start and whenever it is found stale (a Redis that restarted); until it is rebuilt, consent
 * checks fail closed (CONSENT_STATUS_UNAVAILABLE). Counters and pings go to the view's store.
 */
import {
  RevocationViewStaleError,
  type CounterHit,
  type CounterState,
  type KeptRevocation,
  type RevocationRecord,
  type SharedStore,
} from '../../lib/store/index.ts';
import type { RevocationLedger } from './revocation-ledger.ts';

/** How often a replica retries a failed rebuild while requests keep finding the view stale. */
const REBUILD_RETRY_MS = 250;

export interface DurableRevocationOptions {
  /** How often revocations the view refused are put to it again (default 200 ms). */
  retryMs?: number;
  /** Told when the view was rebuilt (how many revocations) or could not be. */
  onRebuilt?: (revocations: number) => void;
  onRebuildFailed?: (error: unknown) => void;
  /** Told when a recorded revocation could not be put into the view (it is retried). */
  onViewWriteFailed?: (error: unknown) => void;
}

export class DurableRevocationStore implements SharedStore {
  readonly kind: SharedStore['kind'];
  private rebuilding: Promise<void> | undefined;
  /** After a failed rebuild, stale checks wait this long before trying again. */
  private nextRebuildAt = 0;
  /** Recorded in the ledger, not yet in the view: refused here meanwhile, and retried. */
  private readonly pending = new Map<string, KeptRevocation>();
  private retry: NodeJS.Timeout | undefined;
  private putting = false;

  constructor(
    private readonly view: SharedStore,
    private readonly ledger: RevocationLedger,
    private readonly options: DurableRevocationOptions = {},
  ) {
    this.kind = view.kind;
  }

  async revokeConsent(record: RevocationRecord, expiresAt: number): Promise<void> {
    const kept = await this.ledger.record(record, expiresAt);
    try {
      await this.view.revokeConsent(kept.record, kept.expiresAt);
    } catch (error) {
      // Recorded, so acknowledged; the view gets it as soon as it answers, and a view that lost
      // it is rebuilt from the ledger.
      this.options.onViewWriteFailed?.(error);
      this.pending.set(kept.record.consentId, kept);
      this.retry ??= setInterval(() => void this.putPending(), this.options.retryMs ?? 200);
      this.retry.unref();
    }
  }

  async revokedAmong(consentIds: readonly string[]): Promise<Set<string>> {
    let revoked: Set<string>;
    try {
      revoked = await this.view.revokedAmong(consentIds);
    } catch (error) {
      if (error instanceof RevocationViewStaleError && Date.now() >= this.nextRebuildAt)
        void this.rebuild().catch(() => undefined);
      throw error;
    }
    for (const id of consentIds) if (this.pending.has(id)) revoked.add(id);
    return revoked;
  }

  /** The ledger answers: the view may be missing a revocation it has not been rebuilt with yet. */
  async revocation(consentId: string): Promise<RevocationRecord | null> {
    return (await this.ledger.find(consentId))?.record ?? null;
  }

  /** Loads every unexpired revocation from the ledger into the view (one rebuild at a time). */
  rebuild(): Promise<void> {
    this.rebuilding ??= (async () => {
      try {
        const revocations = await this.ledger.unexpired();
        await this.view.loadRevocations(revocations);
        for (const { record } of revocations) this.pending.delete(record.consentId);
        this.options.onRebuilt?.(revocations.length);
      } catch (error) {
        this.nextRebuildAt = Date.now() + REBUILD_RETRY_MS;
        this.options.onRebuildFailed?.(error);
        throw error;
      } finally {
        this.rebuilding = undefined;
      }
    })();
    return this.rebuilding;
  }

  loadRevocations(revocations: readonly KeptRevocation[]): Promise<void> {
    return this.view.loadRevocations(revocations);
  }

  hitCounters(hits: readonly CounterHit[]): Promise<CounterState[]> {
    return this.view.hitCounters(hits);
  }

  ping(): Promise<void> {
    return this.view.ping();
  }

  async close(): Promise<void> {
    clearInterval(this.retry);
    await this.view.close();
  }

  private async putPending(): Promise<void> {
    if (this.putting) return;
    this.putting = true;
    try {
      for (const [id, { record, expiresAt }] of this.pending) {
        await this.view.revokeConsent(record, expiresAt);
        this.pending.delete(id);
      }
    } catch {
      return; // still refused: the next round tries again
    } finally {
      this.putting = false;
    }
    if (this.pending.size === 0) {
      clearInterval(this.retry);
      this.retry = undefined;
    }
  }
}
