// The embedded access log's thread (see log-thread.ts): commits the gateway's groups of records
// and checkpoints the write-ahead log, on its own connection. Plain JavaScript: worker threads
// do not inherit the TypeScript loader (tsx) the gateway runs under.
import { clearInterval, setInterval } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { createEmbeddedAppender } from './embedded-append.mjs';

/** @type {{ file: string, intervalMs: number, checkpointPages: number }} */
const { file, intervalMs, checkpointPages } = workerData;
const db = new SQLite(file, { fileMustExist: true });
// Per connection, as the gateway's own (lib/db.ts): commits do not flush, checkpoints do.
db.pragma('synchronous = NORMAL');
db.pragma(`wal_autocheckpoint = ${checkpointPages}`);
const append = createEmbeddedAppender(db);
// Never waits for readers: copies what it can, leaves the rest for next time.
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
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
    return;
  }
  const { id, group } = message;
  try {
    parentPort.postMessage({ id, appended: append(group) });
  } catch (error) {
    // Only the code and message cross: a record's content never reaches a log from here.
    parentPort.postMessage({ id, error: { code: error?.code, message: String(error?.message) } });
  }
});
parentPort.postMessage('ready');
