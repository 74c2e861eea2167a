/**
 * Checkpoints the embedded access log's write-ahead log from a worker thread. A checkpoint copies
 * the pages that commits appended to the WAL into the database file and syncs it; SQLite runs one
 * inside whichever commit crosses `wal_autocheckpoint` pages, which on the gateway's thread held
 * up every request in flight (the write benchmark's p99 doubled with larger checkpoints). Here a
 * thread with its own connection checkpoints every `intervalMs`, passively (never waiting for a
 * reader or a commit), and the connection that commits (the writer thread's, embedded-writer.ts)
 * keeps `wal_autocheckpoint` only as a bound should this thread stop: the WAL then grows to that
 * many pages and the writer checkpoints inside its commits.
 */
import { Worker } from 'node:worker_threads';
import { SQLITE_CACHE_KIB } from '../../lib/db.ts';

export interface CheckpointerOptions {
  /** The SQLite database file (its WAL is `<file>-wal`). */
  file: string;
  /** Between passive checkpoints (default CHECKPOINT_INTERVAL_MS). */
  intervalMs?: number;
  /** The thread stopped on an error; the gateway's own autocheckpoint takes over. */
  onError?: (error: Error) => void;
}

export interface Checkpointer {
  /** Stops the thread (before the database closes). */
  stop(): Promise<void>;
}

/** Between the thread's passive checkpoints of the embedded log. */
export const CHECKPOINT_INTERVAL_MS = 500;

const THREAD_ENTRY = new URL('./checkpoint-thread.mjs', import.meta.url);

export async function startCheckpointer(options: CheckpointerOptions): Promise<Checkpointer> {
  const worker = new Worker(THREAD_ENTRY, {
    workerData: {
      file: options.file,
      intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
      // Bounded like every embedded connection's (lib/db.ts), though a checkpoint reads little.
      pragmas: [`cache_size = -${SQLITE_CACHE_KIB}`],
    },
  });
  // Never what keeps the gateway's process alive: a checkpoint cut short by exit is safe (SQLite
  // finishes it on the next open).
  worker.unref();
  let running = true;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => {
    running = false;
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  worker.on('error', (error) => options.onError?.(error));
  return {
    async stop() {
      if (running) worker.postMessage('stop');
      await exited;
    },
  };
}
