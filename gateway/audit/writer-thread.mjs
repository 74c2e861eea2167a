// The embedded access log's writer (see embedded-writer.ts), a worker thread with its own
// connection: it runs each group's transaction, so the gateway's thread does not wait on SQLite's
// inserts and commit. Plain JavaScript for the reason checkpoint-thread.mjs gives: worker threads
// do not inherit the TypeScript loader, and this needs none of the project's modules. The rows
// arrive chained (hashes computed by the gateway); this only stores them, and only on the head
// they were chained from.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/** @type {{ file: string, pragmas: string[] }} */
const { file, pragmas } = workerData;
const db = new SQLite(file, { fileMustExist: true });
// Per connection: the gateway's own settings (lib/db.ts) and the WAL's bound, since the commits,
// and so SQLite's inline checkpoints, are made here.
for (const pragma of pragmas) db.pragma(pragma);

const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1');
const log = db.prepare(
  'INSERT INTO access_log (seq, at, dept, review, record, prev_hash, hash) VALUES (@seq, @at, @dept, @review, @record, @prev_hash, @hash)',
);
// One row per record: its subjects' terms and their categories (subject-index.ts).
const subject = db.prepare(
  'INSERT INTO access_subject_index (rowid, subjects, categories) VALUES (?, ?, ?)',
);
const update = db.prepare('UPDATE audit_head SET seq = @seq, hash = @hash WHERE id = 1');

/**
 * One group, all or nothing. IMMEDIATE takes the write lock before the head is read, so no other
 * connection (another process on the same file) can move it in between; if one already has, the
 * group is not written and the gateway chains it again from the head returned.
 */
const appendGroup = db.transaction((group) => {
  const current = head.get();
  if (current.seq !== group.from.seq || current.hash !== group.from.hash) return current;
  for (const row of group.rows) log.run(row);
  // Flat [seq, subjects, categories, ...]: three values per record to copy.
  const s = group.subjects;
  for (let i = 0; i < s.length; i += 3) subject.run(s[i], s[i + 1], s[i + 2]);
  update.run(group.to);
  return null;
});

parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const moved = appendGroup.immediate(message);
    parentPort.postMessage(moved ? { id: message.id, moved } : { id: message.id });
  } catch (error) {
    // The gateway withholds the responses of this group (fail closed); the thread goes on.
    parentPort.postMessage({
      id: message.id,
      error: { message: String(error?.message ?? error), code: error?.code ?? null },
    });
  }
});
