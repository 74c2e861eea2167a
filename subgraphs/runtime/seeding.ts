/**
 * Seeds the departments' databases from one pass over the synthetic population, and remembers
 * what was seeded so that a second start reuses the data (and a changed seed or size reseeds).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { usesPostgres, type Database } from '../../lib/db.ts';
import type { AnyTables, SubgraphDefinition } from './definition.ts';
import { populationChunks } from './seed/population.ts';

/** Bumped when generators change, so that old data is replaced rather than mixed. */
export const GENERATOR_VERSION = 2;

/** The runtime's own table, created before a department's migrations. */
export const seedStateMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('seed_state')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seed', 'integer', (c) => c.notNull())
      .addColumn('households', 'integer', (c) => c.notNull())
      .addColumn('generator_version', 'integer', (c) => c.notNull())
      .addColumn('seeded_at', 'text', (c) => c.notNull())
      .execute();
  },
};

export interface SeedTarget {
  definition: SubgraphDefinition;
  database: Database<AnyTables>;
}

export interface SeedOptions {
  seed: number;
  households: number;
  /** Called after each chunk with the households done so far. */
  onProgress?: (done: number, total: number, names: string[]) => void;
}

async function isSeeded(db: Kysely<AnyTables>, options: SeedOptions): Promise<boolean> {
  const row = await db
    .selectFrom('seed_state')
    .select(['seed', 'households', 'generator_version'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return (
    row !== undefined &&
    Number(row.seed) === options.seed &&
    Number(row.households) === options.households &&
    Number(row.generator_version) === GENERATOR_VERSION
  );
}

/** Seeds every target that does not already hold this seed's data; returns the names seeded. */
export async function ensureSeeded(targets: SeedTarget[], options: SeedOptions): Promise<string[]> {
  const pending: SeedTarget[] = [];
  for (const target of targets) {
    if (!(await isSeeded(target.database.db, options))) pending.push(target);
  }
  if (pending.length === 0) return [];
  const names = pending.map((t) => t.definition.name);
  for (const { definition, database } of pending) {
    await database.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('seed_state').execute();
      for (const table of definition.seeder.tables) await trx.deleteFrom(table).execute();
    });
  }
  let done = 0;
  for (const chunk of populationChunks(options.seed, options.households)) {
    await Promise.all(
      pending.map(({ definition, database }) =>
        database.db
          .transaction()
          .execute((trx) => definition.seeder.seedChunk(trx, chunk, options.seed)),
      ),
    );
    done += chunk.length;
    options.onProgress?.(done, options.households, names);
  }
  for (const { definition, database } of pending) {
    await database.db
      .insertInto('seed_state')
      .values({
        id: 1,
        seed: options.seed,
        households: options.households,
        generator_version: GENERATOR_VERSION,
        seeded_at: new Date().toISOString(),
      })
      .execute();
    // This department's tables only: a bare ANALYZE walks every schema in the database.
    if (database.dialect === 'postgres') {
      const tables = sql.join(definition.seeder.tables.map((t) => sql.table(t)));
      await sql`ANALYZE ${tables}`.execute(database.db);
    }
  }
  return names;
}

/** Rows per PostgreSQL statement: a few megabytes of JSON. */
const POSTGRES_ROWS_PER_STATEMENT = 20_000;

/**
 * Inserts rows in statements small enough for both drivers' parameter limits
 * (PostgreSQL 65,535 per statement; SQLite 32,766 by default). On PostgreSQL the rows travel as
 * one JSON parameter instead: a VALUES list of tens of thousands of parameters costs the server
 * more to parse and plan than to insert, which made seeding a million households take over half
 * an hour.
 */
export async function insertMany<T extends object>(
  db: Kysely<AnyTables>,
  table: string,
  rows: readonly T[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  if (usesPostgres(db)) {
    const list = sql.join(columns.map((c) => sql.ref(c)));
    for (let i = 0; i < rows.length; i += POSTGRES_ROWS_PER_STATEMENT) {
      const json = JSON.stringify(rows.slice(i, i + POSTGRES_ROWS_PER_STATEMENT));
      await sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${sql.table(table)}, ${json}::json)`.execute(
        db,
      );
    }
    return;
  }
  const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + perStatement) as T[])
      .execute();
  }
}
