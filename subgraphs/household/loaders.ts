/** Per-request loaders of the registry: one query per entity type per batch. */
import type { Kysely } from 'kysely';
import { groupLoader, optionalRowLoader } from '../runtime/loaders.ts';
import type { HouseholdDB } from './tables.ts';

export function createLoaders(db: Kysely<HouseholdDB>) {
  return {
    person: optionalRowLoader(
      (ids) => db.selectFrom('persons').selectAll().where('id', 'in', ids).execute(),
      (row) => row.id,
    ),
    household: optionalRowLoader(
      (ids) => db.selectFrom('households').selectAll().where('id', 'in', ids).execute(),
      (row) => row.id,
    ),
    members: groupLoader(
      (ids) =>
        db
          .selectFrom('persons')
          .selectAll()
          .where('household_id', 'in', ids)
          .orderBy('household_id')
          .orderBy('id')
          .execute(),
      (row) => row.household_id,
    ),
  };
}

export type HouseholdLoaders = ReturnType<typeof createLoaders>;
