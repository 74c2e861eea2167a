import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../lib/sqlite-statements.ts';

interface DB {
  items: { id: number; name: string };
}

describe('the SQLite statement cache', () => {
  let file: SQLite.Database;
  afterEach(() => {
    if (file.open) file.close();
  });

  it('prepares each SQL text once and keeps the most recently used within its size', () => {
    file = new SQLite(':memory:');
    const prepared: string[] = [];
    const counting = new Proxy(file, {
      get(target, key) {
        if (key === 'prepare')
          return (sql: string) => {
            prepared.push(sql);
            return target.prepare(sql);
          };
        return Reflect.get(target, key) as unknown;
      },
    });
    const cache = withStatementCache(counting, 2);
    const a = cache.prepare('SELECT 1');
    expect(cache.prepare('SELECT 1')).toBe(a);
    cache.prepare('SELECT 2');
    cache.prepare('SELECT 1'); // now the most recent: SELECT 2 is the oldest
    cache.prepare('SELECT 3'); // evicts SELECT 2
    expect(cache.prepare('SELECT 1')).toBe(a);
    cache.prepare('SELECT 2');
    expect(prepared).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3', 'SELECT 2']);
  });

  it('runs Kysely reads, writes and transactions with reused statements', async () => {
    file = new SQLite(':memory:');
    const db = new Kysely<DB>({
      dialect: new SqliteDialect({ database: withStatementCache(file) }),
    });
    await db.schema
      .createTable('items')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .execute();
    for (const id of [1, 2, 3])
      await db
        .insertInto('items')
        .values({ id, name: `n${id}` })
        .execute();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: 4, name: 'n4' }).execute();
        await trx.insertInto('items').values({ id: 1, name: 'duplicate' }).execute();
      }),
    ).rejects.toThrow(/UNIQUE/);
    const byId = (id: number) =>
      db.selectFrom('items').select('name').where('id', '=', id).executeTakeFirst();
    expect(await byId(2)).toEqual({ name: 'n2' });
    expect(await byId(3)).toEqual({ name: 'n3' });
    expect(await byId(4)).toBeUndefined();
    await db.destroy();
    expect(file.open).toBe(false);
  });
});
