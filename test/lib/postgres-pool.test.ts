/**
 * A database's PostgreSQL pool outlives its connections: a connection the server ends (here our
 * own backend, ended with pg_terminate_backend: SQLSTATE 57P01, as a fast restart ends every one)
 * is an `'error'` event that once ended the whole process. Now the loss is reported once, with
 * its code only, and the next query gets a fresh connection. Runs on the machine's PostgreSQL
 * and ends only backends of its own.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropPostgresSchema,
  openDatabase,
  type ConnectionChange,
  type Database,
} from '../../lib/db.ts';
import { isPostgresUnavailable } from '../../lib/postgres-unavailable.ts';
import { postgresUrl } from '../helpers/services.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5000; !condition(); await sleep(20))
    if (Date.now() > deadline) throw new Error('timed out');
}

describe.skipIf(!postgresUrl)('a PostgreSQL pool whose connections the server ends', () => {
  const name = `pool_${randomUUID().slice(0, 8)}`;
  const changes: ConnectionChange[] = [];
  let database: Database<unknown>;
  let pool: pg.Pool;
  const backend = async (client: pg.Pool | pg.PoolClient) =>
    (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

  beforeAll(async () => {
    database = await openDatabase({
      name,
      dataDir: '/nonexistent',
      databaseUrl: postgresUrl,
      poolSize: 1,
      onConnectionChange: (change) => changes.push(change),
    });
    pool = database.postgres!;
  });
  afterAll(async () => {
    await database?.close();
    await dropPostgresSchema(postgresUrl!, name);
  });

  it('drops an idle connection the server ended, reports it once, and connects again', async () => {
    const first = await backend(pool);
    await terminate(first);
    await until(() => changes.length > 0);
    expect(changes).toEqual([{ database: name, state: 'lost', code: '57P01' }]);
    // A fresh connection, still on the database's own schema.
    const { rows } = await pool.query<{ pid: number; schema: string }>(
      'SELECT pg_backend_pid() AS pid, current_schema() AS schema',
    );
    expect(rows[0]!.pid).not.toBe(first);
    expect(rows[0]!.schema).toBe(name);
    expect(changes.at(-1)).toEqual({ database: name, state: 'restored' });
  });

  it('survives a checked-out connection ended between statements; its next statement fails as unavailable', async () => {
    changes.length = 0;
    const client = await pool.connect();
    await terminate(await backend(client));
    await until(() => changes.length > 0);
    const failure = await client.query('SELECT 1').catch((error: unknown) => error);
    expect(isPostgresUnavailable(failure)).toBe(true);
    client.release(failure as Error);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(changes.map((c) => c.state)).toEqual(['lost', 'restored']);
  });

  it('reports a connection ended under a running statement, and a refused one', async () => {
    changes.length = 0;
    const running = pool.query('SELECT pg_sleep(10)').catch((error: unknown) => error);
    let pid: number | undefined;
    for (const deadline = Date.now() + 5000; pid === undefined; await sleep(20)) {
      if (Date.now() > deadline) throw new Error('the statement never ran');
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      const { rows } = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%pg_sleep%'",
        [`gd-${name}`],
      );
      await admin.end();
      pid = rows[0]?.pid;
    }
    await terminate(pid);
    expect(isPostgresUnavailable(await running)).toBe(true);
    await until(() => changes.length > 0);
    expect(changes).toEqual([{ database: name, state: 'lost', code: '57P01' }]);
    // Statements that fail before reaching any connection (a refused one) are told by their caller.
    database.statementFailed(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    );
    database.statementFailed(Object.assign(new Error('duplicate key'), { code: '23505' }));
    expect(changes).toHaveLength(1);
    await pool.query('SELECT 1');
    expect(changes.at(-1)).toEqual({ database: name, state: 'restored' });
  });

  it('names its connections after the database (pg_stat_activity shows whose they are)', async () => {
    const { rows } = await pool.query<{ name: string }>(
      'SELECT application_name AS name FROM pg_stat_activity WHERE pid = pg_backend_pid()',
    );
    expect(rows).toEqual([{ name: `gd-${name}` }]);
  });
});
