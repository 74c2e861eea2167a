/**
 * Group commit: requests hand their record to the writer and wait; the records handed in during
 * one turn of the event loop, or while a transaction is being written, go together in the next
 * one. Under load many requests share one commit (cheap); alone, a request waits for one small
 * transaction.
 *
 * The commit delay (PostgreSQL's `commit_delay` with `commit_siblings`): a group whose writer
 * knows of other requests still running, each about to hand in a record, waits up to
 * `commitDelayMs` for them, and no longer than until the last of them has. A lone request never
 * waits. Where requests end one at a time (a write every millisecond and a half at 600 a second),
 * groups otherwise stay at one record and every record pays a whole commit (docs/performance.md).
 */
import type { RecordToAppend } from './access-record.ts';

export interface GroupCommitOptions {
  append(records: readonly RecordToAppend[]): Promise<unknown>;
  /** Largest group per transaction. */
  maxGroup?: number;
  /**
   * How long a group may wait for the requests still running (see `reserve`); 0 commits at the
   * end of the event-loop turn, as without the delay.
   */
  commitDelayMs?: number;
  /** Observes each flush (duration in seconds, size) for metrics. */
  onFlush?: (seconds: number, size: number) => void;
  /**
   * A group could not be written (its requests' responses are withheld): the cause, for the
   * operators' log. The requests themselves only learn that the log is unavailable.
   */
  onFailure?: (cause: unknown, size: number) => void;
}

interface Pending {
  record: RecordToAppend;
  resolve(): void;
  reject(error: unknown): void;
}

/** A running request's place in the log: it hands in its record, or gives the place back. */
export interface RecordSlot {
  write(record: RecordToAppend): Promise<void>;
  /** Gives the place back if no record was written (idempotent; no-op after `write`). */
  release(): void;
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
  /** Requests that reserved a slot and have not handed in their record yet. */
  private runningCount = 0;
  /** Ends the commit delay early: set while a group waits. */
  private endDelay: (() => void) | null = null;

  constructor(private readonly options: GroupCommitOptions) {}

  /**
   * Called when a request starts: the writer then knows one more record is coming and a group may
   * wait for it (up to the commit delay).
   */
  reserve(): RecordSlot {
    this.runningCount += 1;
    let open = true;
    const close = () => {
      if (!open) return;
      open = false;
      this.runningCount -= 1;
      if (this.runningCount === 0) this.endDelay?.();
    };
    return {
      write: (record) => {
        const promise = this.write(record);
        close();
        return promise;
      },
      release: close,
    };
  }

  /** Requests that reserved a slot and have neither handed in a record nor given it back. */
  get running(): number {
    return this.runningCount;
  }

  /** Resolves once the record is committed; rejects with AuditUnavailableError otherwise. */
  write(record: RecordToAppend): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.flushing) this.flushing = this.drainNextTurn();
      else if (this.queue.length >= this.maxGroup) this.endDelay?.();
    });
  }

  private get maxGroup(): number {
    return this.options.maxGroup ?? 1000;
  }

  /**
   * Starts the group at the end of this turn of the event loop, not at once: the requests whose
   * last department answers arrive in the same turn join it. A writer that answers at once (as
   * the embedded log's did when it committed on this thread) would otherwise commit every record
   * alone; a commit's fixed cost was a third of a large record's (docs/performance.md). Then,
   * while other requests are running, the commit delay.
   */
  private async drainNextTurn(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.commitDelay();
    return this.drain();
  }

  private async commitDelay(): Promise<void> {
    const delay = this.options.commitDelayMs ?? 0;
    if (delay <= 0 || this.runningCount === 0 || this.queue.length >= this.maxGroup) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.endDelay?.(), delay);
      this.endDelay = () => {
        clearTimeout(timer);
        this.endDelay = null;
        resolve();
      };
    });
  }

  /** Waits until everything queued so far is written (shutdown). */
  async flush(): Promise<void> {
    this.endDelay?.();
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup);
        const started = process.hrtime.bigint();
        try {
          await this.options.append(group.map((p) => p.record));
          this.options.onFlush?.(Number(process.hrtime.bigint() - started) / 1e9, group.length);
          for (const p of group) p.resolve();
        } catch (error) {
          this.options.onFailure?.(error, group.length);
          const failure = new AuditUnavailableError(error);
          for (const p of group) p.reject(failure);
        }
      }
    } finally {
      this.flushing = null;
    }
  }
}
