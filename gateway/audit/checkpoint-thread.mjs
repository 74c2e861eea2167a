// The embedded access log's checkpointer (see checkpointer.ts), a worker thread with its own
// connection. Plain JavaScript: worker threads do not inherit the TypeScript loader (tsx) the
// gateway runs under, and this needs none of the project's modules.
import { clearInterval, setInterval } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/** @type {{ file: string, intervalMs: number, pragmas: string[] }} */
const { file, intervalMs, pragmas } = workerData;
const db = new SQLite(file, { fileMustExist: true });
for (const pragma of pragmas) db.pragma(pragma);
// Never waits for readers or the gateway's writes: copies what it can, leaves the rest for next time.
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');

const timer = setInterval(() => {
  try {
    checkpoint();
  } catch (error) {
    // SQLITE_BUSY only means another checkpoint is running; anything else is reported and fatal.
    if (error?.code === 'SQLITE_BUSY') return;
    throw error;
  }
}, intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage('ready');
