/**
 * The embedded log's writer thread: the gateway chains each group and the thread stores it, only
 * on the head it was chained from. What a caller relies on: an append that resolved is readable
 * at once, a group is stored whole or not at all, two writers on one file keep one chain, and a
 * failed or dead thread withholds the group (the caller's responses) without breaking the chain.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../gateway/audit/access-record.ts';
import { AuditLog, type AuditTables } from '../../gateway/audit/audit-log.ts';
import { openDatabase, type Database } from '../../lib/db.ts';
import { accessRecord } from '../helpers/access-record.ts';

const record = (writer: string, i: number, subject = `person:4401031954090${i}`): AccessRecord =>
  accessRecord({
    requestId: `${writer}-${i}`,
    client: writer,
    subjects: { [subject]: ['Person.name'], 'household:H000001': ['Household.address'] },
  });

/** Subjects in the embedded subject index (one row per record, its subjects space-separated). */
const subjectRows = async (database: Database<AuditTables>) => {
  const { rows } = await sql<{
    subjects: string;
  }>`SELECT subjects FROM access_subject_index`.execute(database.db);
  return rows.reduce((n, row) => n + row.subjects.split(' ').length, 0);
};

describe('the embedded access log writer thread', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gd-writer-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const open = async (name: string) => {
    const database = await openDatabase<AuditTables>({ name, dataDir, databaseUrl: undefined });
    return { database, log: await AuditLog.open(database, () => 'identity') };
  };

  /** Runs a test on a log of its own, then stops its writer thread and closes it, whatever happened. */
  const withLog = async (
    name: string,
    test: (opened: Awaited<ReturnType<typeof open>>) => Promise<void>,
  ) => {
    const opened = await open(name);
    try {
      await test(opened);
    } finally {
      await opened.log.close();
      await opened.database.close();
    }
  };

  it('stores each group before the append resolves, readable from the gateway connection', async () => {
    await withLog('writer_read_platform', async ({ database, log }) => {
      expect(await log.append([record('a', 1), record('a', 2)])).toEqual([1, 2]);
      expect(await log.count()).toBe(2);
      expect(await subjectRows(database)).toBe(4);
      expect(await log.append([record('a', 3)])).toEqual([3]);
      expect(await log.verify()).toEqual({ ok: true, checked: 3 });
    });
  });

  it('keeps one chain with every record when two writers share the file', async () => {
    const name = 'writer_shared_platform';
    const a = await open(name);
    const b = await open(name);
    try {
      const appended = await Promise.all([
        ...Array.from({ length: 30 }, (_, i) =>
          a.log.append([record('a', i), record('a', 100 + i)]),
        ),
        ...Array.from({ length: 30 }, (_, i) => b.log.append([record('b', i)])),
      ]);
      const seqs = appended.flat().sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
      expect(await b.log.verify()).toEqual({ ok: true, checked: 90 });
      expect(await subjectRows(a.database)).toBe(180);
    } finally {
      await Promise.all([a.log.close(), b.log.close()]);
      await Promise.all([a.database.close(), b.database.close()]);
    }
  });

  it('stores nothing of a group SQLite refuses, says why, and goes on after', async () => {
    await withLog('writer_refused_platform', async ({ database, log }) => {
      await log.append([record('a', 1)]);
      // The group's second record refused, after its first was inserted.
      database.sqlite!.exec(`CREATE TRIGGER refuse BEFORE INSERT ON access_log
      WHEN instr(NEW.record, '"a-3"') > 0 BEGIN SELECT RAISE(ABORT, 'refused'); END`);
      const refused = log.append([record('a', 2), record('a', 3)]);
      await expect(refused).rejects.toMatchObject({
        name: 'EmbeddedWriteError',
        code: 'SQLITE_CONSTRAINT_TRIGGER',
      });
      expect(await log.count()).toBe(1);
      expect(await subjectRows(database)).toBe(2);
      database.sqlite!.exec('DROP TRIGGER refuse');
      expect(await log.append([record('a', 4)])).toEqual([2]);
      expect(await log.verify()).toEqual({ ok: true, checked: 2 });
    });
  });

  it('fails the groups in flight when the thread dies, and starts another for the next', async () => {
    await withLog('writer_dies_platform', async ({ log }) => {
      await log.append([record('a', 1)]);
      const thread = (log as unknown as { writer: { worker: { terminate(): Promise<number> } } })
        .writer.worker;
      // Dies with the group sent and not stored (stopped before it could read it).
      const dying = thread.terminate();
      const inFlight = log.append([record('a', 2)]);
      await expect(inFlight).rejects.toThrow(/writer thread exited/);
      await dying;
      expect(await log.append([record('a', 3)])).toEqual([2]);
      const count = await log.count();
      expect(count).toBe(2);
      expect(await log.verify()).toEqual({ ok: true, checked: count });
    });
  });

  it('lets a script that appends once finish: held open while its group is out, not after', () => {
    // The thread is unreferenced while idle (it must not keep a gateway from exiting); while a
    // group is out it must keep a script such as the append benchmark from exiting under it.
    const root = path.resolve(import.meta.dirname, '../..');
    const from = (module: string) => JSON.stringify(pathToFileURL(path.join(root, module)).href);
    const script = path.join(dataDir, 'append-once.mts');
    writeFileSync(
      script,
      `import { openDatabase } from ${from('lib/db.ts')};
      import { AuditLog } from ${from('gateway/audit/audit-log.ts')};
      const database = await openDatabase({ name: 'writer_script_platform', dataDir: ${JSON.stringify(dataDir)} });
      const log = await AuditLog.open(database, () => 'identity');
      console.log(JSON.stringify(await log.append([${JSON.stringify(record('s', 1))}])));
      await database.close();`,
    );
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(output.trim()).toBe('[1]');
  });
});
