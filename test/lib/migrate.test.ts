/**
 * Migrations on a PostgreSQL server that others use at the same time: Kysely's migrator finds its
 * tables through the catalog of every schema, and a schema dropped meanwhile (another test run
 * cleaning up, an operator removing an old department) must not fail a department's start.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropPostgresSchema, openDatabase } from '../../lib/db.ts';
import { migrate } from '../../subgraphs/runtime/migrate.ts';
import { postgresUrl } from '../helpers/services.ts';

const migrations = {
  '0001_things': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('things')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .execute();
    },
  },
};

describe.skipIf(!postgresUrl)('migrations beside schemas being dropped', () => {
  const prefix = `migrate_race_${randomUUID().slice(0, 8)}`;
  const names: string[] = [];

  afterAll(async () => {
    for (const name of names) await dropPostgresSchema(postgresUrl!, name);
  });

  it('migrates every database while another client creates and drops schemas', async () => {
    const churn = new pg.Client({ connectionString: postgresUrl });
    await churn.connect();
    let stop = false;
    const churning = (async () => {
      for (let i = 0; !stop; i++) {
        const schema = `${prefix}_gone_${i}`;
        // Serial columns and several tables: the catalog lookups Kysely makes visit each.
        await churn.query(
          `CREATE SCHEMA ${schema}; ` +
            Array.from(
              { length: 5 },
              (_, t) => `CREATE TABLE ${schema}.t${t} (id serial, v text);`,
            ).join(' '),
        );
        await churn.query(`DROP SCHEMA ${schema} CASCADE`);
      }
    })();
    try {
      for (let i = 0; i < 12; i++) {
        const name = `${prefix}_${i}`;
        names.push(name);
        const database = await openDatabase({ name, dataDir: '', databaseUrl: postgresUrl });
        try {
          await migrate(database, migrations);
          await migrate(database, migrations); // again: already at the latest
          const { rows } = await database.postgres!.query(
            `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'things'`,
            [name],
          );
          expect(rows[0].n).toBe(1);
          // What the migrator reads: this schema's tables only, its own hidden unless asked for.
          expect(await database.db.introspection.getTables()).toEqual([
            {
              name: 'things',
              schema: name,
              isView: false,
              columns: [
                expect.objectContaining({ name: 'id', dataType: 'text', isNullable: false }),
              ],
            },
          ]);
          const all = await database.db.introspection.getTables({ withInternalKyselyTables: true });
          expect(all.map((t) => t.name).sort()).toEqual([
            'kysely_migration',
            'kysely_migration_lock',
            'things',
          ]);
        } finally {
          await database.close();
        }
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
  });
});
