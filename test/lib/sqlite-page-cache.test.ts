/**
 * Every embedded connection's page cache is bounded (lib/db.ts SQLITE_CACHE_KIB): better-sqlite3's
 * build gives each connection 16 MiB, which a connection fills as it reads a file larger than
 * that and never gives back, so a process with eight connections grew by up to 128 MiB.
 */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, SQLITE_CACHE_KIB, sql } from '../../lib/db.ts';
import { testStorage, type TestStorage } from '../helpers/platform.ts';

const MiB = 1024 * 1024;

describe('an embedded connection', () => {
  let storage: TestStorage;
  beforeAll(() => {
    storage = testStorage();
    // About 40 MiB of rows, written by a connection of its own (closed: its cache is gone).
    const file = new SQLite(path.join(storage.dataDir, 'large.sqlite'));
    file.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    const insert = file.prepare('INSERT INTO rows (text) VALUES (?)');
    const text = 'x'.repeat(400);
    file.transaction(() => {
      for (let i = 0; i < 100_000; i++) insert.run(text);
    })();
    file.close();
  });
  afterAll(() => storage.cleanup());

  it('keeps a page cache of SQLITE_CACHE_KIB, 4 MiB', async () => {
    const database = await openDatabase({ name: 'large', dataDir: storage.dataDir });
    try {
      expect(SQLITE_CACHE_KIB).toBe(4096);
      expect(database.sqlite!.pragma('cache_size', { simple: true })).toBe(-SQLITE_CACHE_KIB);
    } finally {
      await database.close();
    }
  });

  it('grows the process by no more than its cache when it reads a file ten times larger', async () => {
    const database = await openDatabase({ name: 'large', dataDir: storage.dataDir });
    try {
      const before = process.memoryUsage().rss;
      const row = await sql<{ n: number }>`SELECT sum(length(text)) AS n FROM rows`.execute(
        database.db,
      );
      expect(row.rows[0]!.n).toBe(40_000_000);
      const grown = process.memoryUsage().rss - before;
      // 16 MiB before the bound; a little room over the cache for SQLite's own allocations.
      expect(grown).toBeLessThan(SQLITE_CACHE_KIB * 1024 + 3 * MiB);
    } finally {
      await database.close();
    }
  });
});
