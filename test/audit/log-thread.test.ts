/**
 * The embedded log's thread (log-thread.ts) commits the gateway's groups on its own connection
 * and checkpoints the write-ahead log into the database file, so the WAL starts over instead of
 * growing; without the thread the gateway's own connection commits and checkpoints only at
 * EMBEDDED_CHECKPOINT_PAGES, not at SQLite's default 1,000 (docs/performance.md). Either way
 * everything reads back and verifies, from this connection and from another one (an auditor's
 * `npm run audit:verify`), and a commit that fails leaves the chain as it was.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../gateway/audit/access-record.ts';
import {
  AuditLog,
  EMBEDDED_CHECKPOINT_PAGES,
  type AuditTables,
} from '../../gateway/audit/audit-log.ts';
import { LogThreadError, startLogThread } from '../../gateway/audit/log-thread.ts';
import { openDatabase } from '../../lib/db.ts';
import { accessRecord } from '../helpers/access-record.ts';

const batchRecord = (index: number): AccessRecord => {
  const subjects: Record<string, string[]> = {};
  for (let h = 0; h < 20; h++) {
    const household = String((index * 7919 + h * 104_729) % 50_000).padStart(6, '0');
    subjects[`household:H${household}`] = ['Household.address'];
    for (let m = 0; m < 4; m++) subjects[`person:44010319540906${household}${m}`] = ['Person.name'];
  }
  return accessRecord({ requestId: `batch-${index}`, operation: 'BatchReview', subjects });
};

describe('the embedded access log', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gd-checkpoint-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('without the thread, keeps records in its WAL past SQLite default checkpoint', async () => {
    const name = 'checkpoint_platform';
    const database = await openDatabase<AuditTables>({ name, dataDir, databaseUrl: undefined });
    const log = await AuditLog.open(database, () => 'identity');
    const sqlite = database.sqlite!;
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(EMBEDDED_CHECKPOINT_PAGES);

    const records = Array.from({ length: 150 }, (_, i) => batchRecord(i));
    for (let i = 0; i < records.length; i += 3) await log.append(records.slice(i, i + 3));
    // Frames in the WAL (a NOOP checkpoint only reports them): past 1,000, none moved out yet.
    const [status] = sqlite.pragma('wal_checkpoint(NOOP)') as { log: number }[];
    expect(status!.log).toBeGreaterThan(1000);
    expect(status!.log).toBeLessThan(EMBEDDED_CHECKPOINT_PAGES);

    expect(await log.verify()).toEqual({ ok: true, checked: records.length });
    const other = await openDatabase<AuditTables>({ name, dataDir, databaseUrl: undefined });
    try {
      expect(await new AuditLog(other, () => 'identity').verify()).toEqual({
        ok: true,
        checked: records.length,
      });
      const subject = Object.keys(records[42]!.subjects)[5]!;
      const rows = await other.db
        .selectFrom('access_subjects')
        .select('seq')
        .where('subject', '=', subject)
        .execute();
      expect(rows.map((r) => Number(r.seq))).toContain(43);
    } finally {
      await other.close();
      await database.close();
    }
  });

  it('checkpoints from its thread, so the next commit starts the WAL over', async () => {
    const name = 'threaded_platform';
    const database = await openDatabase<AuditTables>({ name, dataDir, databaseUrl: undefined });
    const log = await AuditLog.open(database, () => 'identity');
    const sqlite = database.sqlite!;
    let thread: Awaited<ReturnType<typeof startLogThread>> | undefined;
    try {
      const wal = () =>
        (sqlite.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[])[0]!;
      const walFrames = () => wal().log;
      const records = Array.from({ length: 31 }, (_, i) => batchRecord(i));
      const emptyFile = statSync(sqlite.name).size;
      for (let i = 0; i < 30; i += 3) await log.append(records.slice(i, i + 3));
      const before = walFrames();
      expect(before).toBeGreaterThan(200);
      thread = await startLogThread({
        file: sqlite.name,
        intervalMs: 50,
        checkpointPages: EMBEDDED_CHECKPOINT_PAGES,
      });
      // The thread copies every frame into the database file, without this connection
      // checkpointing (its bound is 10,000 pages)...
      await expect.poll(() => wal().checkpointed, { timeout: 10_000, interval: 20 }).toBe(before);
      expect(statSync(sqlite.name).size).toBeGreaterThan(emptyFile + 50 * 4096);
      // ...so the next commit starts the WAL over instead of adding to what it held.
      await log.append(records.slice(30));
      expect(walFrames()).toBeLessThan(before / 4);
      expect(await log.verify()).toEqual({ ok: true, checked: records.length });
    } finally {
      await thread?.stop();
      await thread?.stop();
      await database.close();
    }
  });

  it('commits on its thread, fails closed when a commit fails, and goes on inline once stopped', async () => {
    const name = 'writer_platform';
    const database = await openDatabase<AuditTables>({ name, dataDir, databaseUrl: undefined });
    const log = await AuditLog.open(database, () => 'identity');
    const sqlite = database.sqlite!;
    const thread = await startLogThread({
      file: sqlite.name,
      intervalMs: 50,
      checkpointPages: EMBEDDED_CHECKPOINT_PAGES,
    });
    log.attachThread(thread);
    try {
      const records = Array.from({ length: 12 }, (_, i) => batchRecord(100 + i));
      // Groups in flight together: each waits for its commit on the thread, in order.
      const groups = [records.slice(0, 3), records.slice(3, 6)];
      expect(await Promise.all(groups.map((g) => log.append(g)))).toEqual([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      // What the thread committed reads back on the gateway's connection at once.
      const subject = Object.keys(records[4]!.subjects)[3]!;
      const seqs = await database.db
        .selectFrom('access_subjects')
        .select('seq')
        .where('subject', '=', subject)
        .execute();
      expect(seqs.map((r) => Number(r.seq))).toEqual([5]);

      // A commit the database refuses (a row already holds the next number) writes nothing:
      // the group fails, and the next one chains from the head the database holds.
      sqlite
        .prepare(
          "INSERT INTO access_log (seq, at, dept, review, record, prev_hash, hash) VALUES (7, 'x', NULL, 0, '{}', 'x', 'x')",
        )
        .run();
      await expect(log.append(records.slice(6, 8))).rejects.toBeInstanceOf(LogThreadError);
      sqlite.prepare('DELETE FROM access_log WHERE seq = 7').run();
      expect(await log.append(records.slice(6, 8))).toEqual([7, 8]);

      // Stopped (or crashed), the thread takes no more groups: the gateway's connection does.
      await thread.stop();
      expect(thread.running).toBe(false);
      await expect(thread.append({} as never)).rejects.toBeInstanceOf(LogThreadError);
      expect(await log.append(records.slice(8))).toEqual([9, 10, 11, 12]);
      expect(await log.verify()).toEqual({ ok: true, checked: 12 });
    } finally {
      await thread.stop();
      await database.close();
    }
  });

  it('refuses to start on a log that is not there', async () => {
    await expect(
      startLogThread({
        file: path.join(dataDir, 'missing.sqlite'),
        intervalMs: 50,
        checkpointPages: EMBEDDED_CHECKPOINT_PAGES,
      }),
    ).rejects.toThrow();
  });
});
