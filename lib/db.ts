/**
 * One SQL code path, two drivers: embedded SQLite (better-sqlite3) by default, PostgreSQL when a
 * database URL is given. Each department gets its own database: a SQLite file, or a PostgreSQL
 * schema reached through `search_path`, so the same Kysely queries run unchanged on both.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresAdapter, SqliteDialect, sql, type LogEvent } from 'kysely';
import { SchemaPostgresDialect } from './postgres-dialect.ts';
import { createPostgresPool, type ConnectionChange } from './postgres-pool.ts';
import { withStatementCache } from './sqlite-statements.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** Database name: the SQLite file name and the PostgreSQL schema. */
  name: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** PostgreSQL went away or came back (default: one line on stderr each time). */
  onConnectionChange?: (change: ConnectionChange) => void;
}

export interface Database<DB> {
  db: Kysely<DB>;
  dialect: Dialect;
  name: string;
  /** Statements executed so far (tests assert batching with it). */
  readonly statementCount: number;
  /**
   * The embedded database's own handle, for the rare hot write that needs prepared statements
   * (the access log); undefined on PostgreSQL. Everything else goes through `db`.
   */
  sqlite: SQLite.Database | undefined;
  /**
   * The PostgreSQL pool (its connections search the database's schema), for the same kind of hot
   * write: a named statement the server parses and plans once per connection. Undefined on SQLite.
   */
  postgres: pg.Pool | undefined;
  /**
   * Tells the database that a statement on it failed. On PostgreSQL an outage error (the server
   * restarting, unreachable) is reported as the connection lost, once per outage; otherwise
   * nothing happens.
   */
  statementFailed(error: unknown): void;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Each embedded connection's page cache, in KiB. better-sqlite3 builds SQLite with 16 MiB per
 * connection (SQLite's own default is 2 MiB): a cache fills up to that as pages are read and is
 * never given back, so the access log's connections and the departments' (eight in `npm start`)
 * grew the process by up to 128 MiB as the files grew. 4 MiB holds a B-tree's inner pages and
 * the pages being appended to; a page beyond it is read again from the OS's file cache.
 */
export const SQLITE_CACHE_KIB = 4096;

/**
 * Every embedded connection's settings; per connection (but the journal mode), so also those of
 * any other connection a process opens to the same file (the access log's writer thread and its
 * checkpointer).
 */
export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  `cache_size = -${SQLITE_CACHE_KIB}`,
];

export async function openDatabase<DB>(options: DatabaseOptions): Promise<Database<DB>> {
  const schema = options.name.replace(/-/g, '_');
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid database name "${options.name}"`);
  let statements = 0;
  const log = (event: LogEvent) => {
    if (event.level === 'query') statements += 1;
  };
  let db: Kysely<DB>;
  let dialect: Dialect;
  let sqlite: SQLite.Database | undefined;
  let postgres: pg.Pool | undefined;
  let statementFailed: (error: unknown) => void = () => undefined;
  if (options.databaseUrl) {
    dialect = 'postgres';
    // Create the schema first with a plain client: the pool below pins search_path to it.
    const admin = plainClient(options.databaseUrl);
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } catch (error) {
      // Concurrent creators race on the catalog; the schema exists either way.
      if ((error as { code?: string }).code !== '23505') throw error;
    } finally {
      await admin.end();
    }
    const watched = createPostgresPool({
      url: options.databaseUrl,
      schema,
      max: options.poolSize ?? 10,
      ...(options.onConnectionChange ? { onConnectionChange: options.onConnectionChange } : {}),
    });
    const { pool } = watched;
    db = new Kysely<DB>({ dialect: new SchemaPostgresDialect({ pool }, schema), log });
    postgres = pool;
    statementFailed = watched.failed;
  } else {
    dialect = 'sqlite';
    mkdirSync(options.dataDir, { recursive: true });
    const file = new SQLite(path.join(options.dataDir, `${schema}.sqlite`));
    for (const pragma of SQLITE_PRAGMAS) file.pragma(pragma);
    db = new Kysely<DB>({
      dialect: new SqliteDialect({ database: withStatementCache(file) }),
      log,
    });
    sqlite = file;
  }
  return {
    db,
    dialect,
    name: schema,
    get statementCount() {
      return statements;
    },
    sqlite,
    postgres,
    statementFailed,
    close: () => db.destroy(),
  };
}

/**
 * Whether a query builder (a database or one of its transactions) runs on PostgreSQL: for the
 * few statements that differ. Kysely marks getExecutor internal; it is how a builder knows its
 * dialect.
 */
export function usesPostgres(db: { getExecutor(): { readonly adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * A one-off client for DDL. Its connection dying between statements is an `'error'` event, which
 * ends the process without a listener; the statement awaited on it fails anyway, so the listener
 * has nothing to add.
 */
function plainClient(url: string): pg.Client {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  return client;
}

/** Drops a department's PostgreSQL schema (tests clean up with it). */
export async function dropPostgresSchema(databaseUrl: string, name: string): Promise<void> {
  const schema = name.replace(/-/g, '_');
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid database name "${name}"`);
  const client = plainClient(databaseUrl);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export { sql };
export type { ConnectionChange } from './postgres-pool.ts';
