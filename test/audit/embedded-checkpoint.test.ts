/**
 * The embedded log's write-ahead log: the checkpointer thread copies it into the database file
 * while the gateway keeps appending, so the WAL starts over instead of growing; without the
 * thread the gateway's own connection checkpoints only at EMBEDDED_CHECKPOINT_PAGES, not at
 * SQLite's default 1,000 (docs/performance.md). Either way everything reads back and verifies,
 * from this connection and from another one (an auditor's `npm run audit:verify`).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../gateway/audit/access-record.ts';
import {
  AuditLog,
  EMBEDDED_CHECKPOINT_PAGES,
  type AuditTables,
} from '../../gateway/audit/audit-log.ts';
import { startCheckpointer } from '../../gateway/audit/checkpointer.ts';
import { seqsNaming } from '../../gateway/audit/subject-index.ts';
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

    const records = Array.from({ length: 300 }, (_, i) => batchRecord(i));
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
      const { rows } = await sql<{ seq: number }>`SELECT rowid AS seq FROM access_log
        WHERE seq IN ${seqsNaming(subject)}`.execute(other.db);
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
    let checkpointer: Awaited<ReturnType<typeof startCheckpointer>> | undefined;
    try {
      const wal = () =>
        (sqlite.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[])[0]!;
      const walFrames = () => wal().log;
      const records = Array.from({ length: 31 }, (_, i) => batchRecord(i));
      const emptyFile = statSync(sqlite.name).size;
      for (let i = 0; i < 30; i += 3) await log.append(records.slice(i, i + 3));
      const before = walFrames();
      expect(before).toBeGreaterThan(100);
      checkpointer = await startCheckpointer({ file: sqlite.name, intervalMs: 50 });
      // The thread copies every frame into the database file, without this connection
      // checkpointing (its bound is 10,000 pages)...
      await expect.poll(() => wal().checkpointed, { timeout: 10_000, interval: 20 }).toBe(before);
      expect(statSync(sqlite.name).size).toBeGreaterThan(emptyFile + 50 * 4096);
      // ...so the next commit starts the WAL over instead of adding to what it held.
      await log.append(records.slice(30));
      expect(walFrames()).toBeLessThan(before / 4);
      expect(await log.verify()).toEqual({ ok: true, checked: records.length });
    } finally {
      await checkpointer?.stop();
      await checkpointer?.stop();
      await database.close();
    }
  });

  it('refuses to start on a log that is not there', async () => {
    await expect(
      startCheckpointer({ file: path.join(dataDir, 'missing.sqlite'), intervalMs: 50 }),
    ).rejects.toThrow();
  });
});
