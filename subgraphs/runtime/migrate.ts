/** Runs a department's migrations (Kysely's migrator: ordered, recorded, run once). */
import { Migrator, type Migration } from 'kysely';
import type { Database } from '../../lib/db.ts';
import type { AnyTables } from './definition.ts';

export async function migrate(
  database: Database<AnyTables>,
  migrations: Record<string, Migration>,
): Promise<void> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
    // On PostgreSQL, name the schema: Kysely otherwise finds another department's (or another
    // test run's) migration tables through the catalog and skips creating its own.
    ...(database.dialect === 'postgres' ? { migrationTableSchema: database.name } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed =
      results?.find((r) => r.status === 'Error')?.migrationName ?? 'the migration table';
    throw new Error(
      `migration of ${database.name} failed at ${failed}: ${(error as Error).message ?? String(error)}`,
    );
  }
}
