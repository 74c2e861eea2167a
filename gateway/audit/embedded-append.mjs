// The embedded access log's append transaction, shared by the log's thread (log-thread.mjs) and
// the gateway's own connection (its fallback when the thread is not running). Plain JavaScript:
// worker threads do not inherit the TypeScript loader (tsx) the gateway runs under.

/**
 * Returns a function that appends one group of chained rows in one transaction, if the chain's
 * head is still where the rows were chained from: true if it appended, false (and nothing
 * written) if another writer moved the head, so the caller reads it again and chains again.
 *
 * @param {import('better-sqlite3').Database} db
 */
export function createEmbeddedAppender(db) {
  const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1');
  const log = db.prepare(
    'INSERT INTO access_log (seq, at, dept, review, record, prev_hash, hash) VALUES (@seq, @at, @dept, @review, @record, @prev_hash, @hash)',
  );
  // Positional: a batch review writes a hundred of these per record.
  const subject = db.prepare(
    'INSERT INTO access_subjects (seq, subject, categories) VALUES (?, ?, ?)',
  );
  const update = db.prepare('UPDATE audit_head SET seq = @seq, hash = @hash WHERE id = 1');
  return db.transaction((group) => {
    const current = head.get();
    if (Number(current.seq) !== group.from.seq || current.hash !== group.from.hash) return false;
    for (const row of group.rows) log.run(row);
    for (const { seq, subject: name, categories } of group.subjects)
      subject.run(seq, name, categories);
    update.run(group.head);
    return true;
  });
}
