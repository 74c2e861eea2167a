/**
 * Kysely's SQLite driver prepares every statement again on every query; preparing (parsing and
 * planning the SQL) was 5% of the departments' CPU on the batch benchmark. This hands Kysely a
 * database whose `prepare` returns a statement prepared once per SQL text.
 *
 * Reusing a statement is safe here: Kysely holds SQLite's single connection under a mutex for
 * the whole of a query (streams included), so a cached statement is never run by two callers at
 * once, and better-sqlite3 re-prepares a statement itself when the schema changes.
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';
import { BoundedMap } from './bounded-map.ts';

/**
 * Distinct SQL texts kept. Loaders' `IN (?, ?, …)` lists give one text per batch size, so a busy
 * department holds a few hundred; the oldest unused one goes first beyond this.
 */
export const STATEMENT_CACHE_SIZE = 1000;

export function withStatementCache(
  database: SQLite.Database,
  size = STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const statements = new BoundedMap<string, SQLite.Statement>(size);
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = statements.touch(sql);
      if (!statement) {
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
