/**
 * The PostgreSQL pool every database of the platform uses, made to outlive the server it talks
 * to. node-postgres raises a connection's death (an operator's `pg_ctl restart -m fast` ends
 * every backend with SQLSTATE 57P01) as an `'error'` event, on the pool for an idle connection
 * and on the client itself for one that is checked out, even when a query is running on it; an
 * `'error'` event without a listener ends the Node process. So both get a listener here: the
 * pool then drops the dead connection itself, the query that ran on it fails (and its request
 * gets an unavailable code), and the next query opens a fresh connection once the server is back.
 */
import pg from 'pg';
import { isPostgresUnavailable, postgresErrorCode } from './postgres-unavailable.ts';

/** A pool's connection to its server changed: reported once per outage, not per connection. */
export interface ConnectionChange {
  /** The database (schema) the pool serves. */
  database: string;
  state: 'lost' | 'restored';
  /** SQLSTATE or socket code of the error that showed the loss ('none' when it has none). */
  code?: string;
}

export interface PostgresPoolOptions {
  url: string;
  /** The schema its connections search, and the name it reports and shows the server. */
  schema: string;
  max: number;
  onConnectionChange?: (change: ConnectionChange) => void;
}

/** One line on stderr: no message of the driver's (it can quote values), the code only. */
export function logConnectionChange({ database, state, code }: ConnectionChange): void {
  console.error(
    state === 'lost'
      ? `database ${database}: connection to PostgreSQL lost (${code}); its requests fail as unavailable until it is back`
      : `database ${database}: connection to PostgreSQL restored`,
  );
}

/** A pool and the way to tell it that a statement on it failed. */
export interface WatchedPool {
  pool: pg.Pool;
  /**
   * A statement failed: if PostgreSQL is unreachable, the pool reports its connection lost (once
   * per outage). A connection that dies under a running statement raises no event of its own
   * that a listener could rely on: only the statement's error tells.
   */
  failed(error: unknown): void;
}

export function createPostgresPool(options: PostgresPoolOptions): WatchedPool {
  const report = options.onConnectionChange ?? logConnectionChange;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    options: `-c search_path=${options.schema}`,
    // Names the platform's connections in pg_stat_activity (which department, the access log).
    application_name: `gd-${options.schema}`,
  });
  let lost = false;
  const lose = (error: unknown) => {
    if (lost) return;
    lost = true;
    report({ database: options.schema, state: 'lost', code: postgresErrorCode(error) });
  };
  const failed = (error: unknown) => {
    if (isPostgresUnavailable(error)) lose(error);
  };
  // Every 'error' event is a connection's death, whatever it says.
  pool.on('error', lose);
  // pool.query hands a statement's error back to the pool with its connection.
  pool.on('release', failed);
  pool.on('connect', (client) => {
    client.on('error', lose);
    if (!lost) return;
    lost = false;
    report({ database: options.schema, state: 'restored' });
  });
  return { pool, failed };
}
