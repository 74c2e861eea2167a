/**
 * Stores the embedded access log's groups from a worker thread (writer-thread.mjs). A group's
 * transaction (the log rows, the subject index's, and the commit that writes their pages to the
 * WAL) took 1.3 ms of the gateway's thread per batch review when the index was a hundred B-tree
 * rows per record, time in which it served no one; the gateway is single-threaded and was the
 * bound, while the machine's second core had room (docs/performance.md). The gateway
 * still builds and chains the records; the thread stores a group only on the head it was chained
 * from. A response still leaves only after its record is committed.
 *
 * The thread is started on the first append (a reader such as `npm run audit:verify` never
 * starts one) and again after it dies: the groups in flight then fail, and their responses are
 * withheld, as when any write of the log fails.
 */
import { Worker } from 'node:worker_threads';
import type { AccessLogTable } from './audit-tables.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface StoredGroup {
  /** The head the rows were chained from: stored only if the log's head is still there. */
  from: ChainHead;
  to: ChainHead;
  rows: AccessLogTable[];
  /** The subject index's rows (subject-index.ts `embeddedRow`), flat: seq, terms, categories, … */
  subjects: (number | string)[];
}

export interface EmbeddedWriterOptions {
  /** The SQLite database file. */
  file: string;
  /**
   * The thread's connection's settings, run in order: the gateway's own (SQLITE_PRAGMAS) and the
   * WAL's bound for its commits (EMBEDDED_CHECKPOINT_PAGES).
   */
  pragmas: string[];
}

/** The group was not stored: another writer had moved the head here. */
export interface HeadMoved {
  moved: ChainHead;
}

interface Reply {
  id: number;
  moved?: ChainHead;
  error?: { message: string; code: string | null };
}

/** SQLite's error from the thread, with its code (SQLITE_FULL, SQLITE_READONLY, …). */
export class EmbeddedWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'EmbeddedWriteError';
  }
}

const THREAD_ENTRY = new URL('./writer-thread.mjs', import.meta.url);

export class EmbeddedWriter {
  private worker: Worker | undefined;
  private nextId = 0;
  /** Groups sent and not yet answered, with the thread each went to. */
  private readonly pending = new Map<
    number,
    { worker: Worker; resolve(value: HeadMoved | null): void; reject(error: Error): void }
  >();

  constructor(private readonly options: EmbeddedWriterOptions) {}

  /** Stores the group; resolves null once committed, or the head it found if that had moved. */
  store(group: StoredGroup): Promise<HeadMoved | null> {
    const worker = (this.worker ??= this.start());
    const id = (this.nextId += 1);
    // Referenced only while a group is out: a script awaiting its append must not exit under it,
    // and an idle thread must not keep the process alive.
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.postMessage({ id, ...group });
    });
  }

  private settle(
    id: number,
  ): { resolve(value: HeadMoved | null): void; reject(error: Error): void } | undefined {
    const waiting = this.pending.get(id);
    if (!waiting) return undefined;
    this.pending.delete(id);
    if (this.pending.size === 0) waiting.worker.unref();
    return waiting;
  }

  private start(): Worker {
    const worker = new Worker(THREAD_ENTRY, { workerData: this.options });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.settle(reply.id);
      if (!waiting) return;
      if (reply.error)
        waiting.reject(new EmbeddedWriteError(reply.error.message, reply.error.code));
      else waiting.resolve(reply.moved ? { moved: reply.moved } : null);
    });
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.pending) {
        if (waiting.worker === worker) this.settle(id)?.reject(error);
      }
    };
    worker.on('error', failAll);
    worker.on('exit', (code) =>
      failAll(new Error(`the access log's writer thread exited (${code})`)),
    );
    return worker;
  }

  /** Stops the thread; call after the last group has been stored. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    await exited;
  }
}
