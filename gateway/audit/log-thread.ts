/**
 * The embedded access log's thread: a worker thread with its own connection that commits the
 * gateway's groups of records and checkpoints the write-ahead log.
 *
 * - Commits: better-sqlite3 is synchronous, so a commit on the gateway's thread held its event
 *   loop for the transaction's inserts and writes (a batch review's record indexes about a
 *   hundred subjects, each on a random page): 15–36% of a batch review's requests/s where the
 *   gateway is the bound (docs/performance.md). Here they run beside it, on the other core;
 *   a request still waits for its record's commit before its response leaves.
 * - Checkpoints: a checkpoint copies the pages commits appended to the WAL into the database
 *   file and syncs it; SQLite runs one inside whichever commit crosses `wal_autocheckpoint`
 *   pages. The thread checkpoints every `intervalMs`, passively (never waiting for a reader).
 *
 * If the thread stops, pending groups fail (their requests fail closed) and the log appends on
 * the gateway's own connection from then on, checkpointing there at `checkpointPages`.
 */
import { Worker } from 'node:worker_threads';
import type { ChainedGroup } from './embedded-append.mjs';

export interface LogThreadOptions {
  /** The SQLite database file (its WAL is `<file>-wal`). */
  file: string;
  /** Between passive checkpoints (default CHECKPOINT_INTERVAL_MS). */
  intervalMs?: number;
  /** The WAL's bound in pages should the timer fall behind (SQLite's `wal_autocheckpoint`). */
  checkpointPages: number;
  /** The thread stopped on an error; appends move to the gateway's connection. */
  onError?: (error: Error) => void;
}

export interface LogThread {
  /** Whether appends can go to the thread (false once it stopped). */
  readonly running: boolean;
  /** Commits a group on the thread: true if appended, false if the head had moved. */
  append(group: ChainedGroup): Promise<boolean>;
  /** Stops the thread (before the database closes). */
  stop(): Promise<void>;
}

/** Between the thread's passive checkpoints. */
export const CHECKPOINT_INTERVAL_MS = 500;

const THREAD_ENTRY = new URL('./log-thread.mjs', import.meta.url);

type Reply =
  { id: number; appended: boolean } | { id: number; error: { code?: string; message: string } };

/** An append that failed on the thread (its SQLite code, if any, kept). */
export class LogThreadError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'LogThreadError';
  }
}

export async function startLogThread(options: LogThreadOptions): Promise<LogThread> {
  const worker = new Worker(THREAD_ENTRY, {
    workerData: {
      file: options.file,
      intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
      checkpointPages: options.checkpointPages,
    },
  });
  const pending = new Map<number, { resolve(appended: boolean): void; reject(e: Error): void }>();
  let nextId = 0;
  let running = true;
  const stopped = (error: Error) => {
    if (!running) return;
    running = false;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => stopped(new LogThreadError('the access log thread exited')));
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  worker.on('error', (error) => {
    stopped(error);
    options.onError?.(error);
  });
  worker.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if ('error' in reply) waiting.reject(new LogThreadError(reply.error.message, reply.error.code));
    else waiting.resolve(reply.appended);
  });
  // Idle, it is not what keeps the gateway's process alive (a checkpoint cut short by exit is
  // safe: SQLite finishes it on the next open); with appends in flight, it is.
  worker.unref();
  return {
    get running() {
      return running;
    },
    append(group) {
      if (!running)
        return Promise.reject(new LogThreadError('the access log thread is not running'));
      const id = (nextId += 1);
      if (pending.size === 0) worker.ref();
      return new Promise<boolean>((resolve, reject) => {
        const settle = () => {
          if (pending.size === 0) worker.unref();
        };
        pending.set(id, {
          resolve: (appended) => {
            resolve(appended);
            settle();
          },
          reject: (error) => {
            reject(error);
            settle();
          },
        });
        worker.postMessage({ id, group });
      });
    },
    async stop() {
      if (running) worker.postMessage('stop');
      await exited;
    },
  };
}
