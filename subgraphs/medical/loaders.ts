/** Per-request loaders of the medical insurance register: one query per table per batch. */
import type { Kysely } from 'kysely';
import { groupLoader, optionalRowLoader } from '../runtime/loaders.ts';
import { FIRST_SETTLED, LAST_SETTLED, monthOf } from './periods.ts';
import type { MedicalDB } from './tables.ts';

export function createLoaders(db: Kysely<MedicalDB>) {
  return {
    insurance: optionalRowLoader(
      (ids) =>
        db.selectFrom('medical_insurance').selectAll().where('person_id', 'in', ids).execute(),
      (row) => row.person_id,
    ),
    /**
     * The whole settled window per person, whatever `months` a field asks for: periods are summed
     * in the resolver, so any mix of `months` arguments still costs one query per batch.
     */
    expenses: groupLoader(
      (ids) =>
        db
          .selectFrom('medical_expenses')
          .selectAll()
          .where('person_id', 'in', ids)
          .where('month', '>=', monthOf(FIRST_SETTLED))
          .where('month', '<=', monthOf(LAST_SETTLED))
          .orderBy('person_id')
          .orderBy('month')
          .execute(),
      (row) => row.person_id,
    ),
  };
}

export type MedicalLoaders = ReturnType<typeof createLoaders>;
