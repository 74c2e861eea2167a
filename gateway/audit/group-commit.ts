/**
 * Group commit: requests hand their record to the writer and wait; the records handed in during
 * one turn of the event loop, or while a transaction is being written, go together in the next
 * one. Under load many requests share one commit (cheap); alone, a request waits for one small
 * transaction. No timer: nothing waits that does not have to.
 */
import type { AccessRecord } from './access-record.ts';

export interface GroupCommitOptions {
  append(records: readonly AccessRecord[]): Promise<unknown>;
  /** Largest group per transaction. */
  maxGroup?: number;
  /** Observes each flush (duration in seconds, size) for metrics. */
  onFlush?: (seconds: number, size: number) => void;
}

interface Pending {
  record: AccessRecord;
  resolve(): void;
  reject(error: unknown): void;
}

export class AuditUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the access log cannot be written', { cause });
    this.name = 'AuditUnavailableError';
  }
}

export class GroupCommitWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: GroupCommitOptions) {}

  /** Resolves once the record is committed; rejects with AuditUnavailableError otherwise. */
  write(record: AccessRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.flushing) this.flushing = this.drainNextTurn();
    });
  }

  /**
   * Starts the group at the end of this turn of the event loop, not at once: the requests whose
   * last department answers arrive in the same turn join it. A synchronous writer (embedded
   * SQLite) would otherwise commit every record alone, since nothing can queue while it writes;
   * a commit's fixed cost was a third of a large record's (docs/performance.md). Costs a lone
   * request one loop turn, not a timer.
   */
  private async drainNextTurn(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return this.drain();
  }

  /** Waits until everything queued so far is written (shutdown). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.options.maxGroup ?? 1000);
        const started = process.hrtime.bigint();
        try {
          await this.options.append(group.map((p) => p.record));
          this.options.onFlush?.(Number(process.hrtime.bigint() - started) / 1e9, group.length);
          for (const p of group) p.resolve();
        } catch (error) {
          const failure = new AuditUnavailableError(error);
          for (const p of group) p.reject(failure);
        }
      }
    } finally {
      this.flushing = null;
    }
  }
}
