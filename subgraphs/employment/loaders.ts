/** Per-request loaders of HR and social security: one query per table per batch. */
import type { Kysely } from 'kysely';
import { optionalRowLoader } from '../runtime/loaders.ts';
import type { EmploymentDB } from './tables.ts';

export function createLoaders(db: Kysely<EmploymentDB>) {
  return {
    /** Shared by Person.employment and the household flags, so both ride one query. */
    employment: optionalRowLoader(
      (ids) =>
        db.selectFrom('employment_records').selectAll().where('person_id', 'in', ids).execute(),
      (row) => row.person_id,
    ),
    registration: optionalRowLoader(
      (ids) =>
        db
          .selectFrom('unemployment_registrations')
          .selectAll()
          .where('person_id', 'in', ids)
          .execute(),
      (row) => row.person_id,
    ),
    insurance: optionalRowLoader(
      (ids) =>
        db.selectFrom('social_insurance').selectAll().where('person_id', 'in', ids).execute(),
      (row) => row.person_id,
    ),
  };
}

export type EmploymentLoaders = ReturnType<typeof createLoaders>;
