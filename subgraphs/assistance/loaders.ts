/** Per-request loaders of civil affairs: one query per batch of households or of persons. */
import type { Kysely } from 'kysely';
import { AS_OF } from '../runtime/seed/population.ts';
import { groupLoader } from '../runtime/loaders.ts';
import type { AssistanceDB } from './tables.ts';

/**
 * The day "currently effective" refers to. The synthetic determinations are dated relative to
 * AS_OF, so status is read on that day rather than the clock's (which would expire them).
 */
export const STATUS_DAY = AS_OF;

export function createLoaders(db: Kysely<AssistanceDB>) {
  return {
    /** A household's determinations, newest decision first. */
    determinations: groupLoader(
      (ids) =>
        db
          .selectFrom('determinations')
          .selectAll()
          .where('household_id', 'in', ids)
          .orderBy('household_id')
          .orderBy('decided_on', 'desc')
          .orderBy('sequence', 'desc')
          .execute(),
      (row) => row.household_id,
    ),
    /** Determinations covering each person on STATUS_DAY: approved ones and running phase-outs. */
    activeCoverage: groupLoader(
      (ids) =>
        db
          .selectFrom('determination_members as m')
          .innerJoin('determinations as d', 'd.id', 'm.determination_id')
          .select(['m.person_id', 'd.program', 'd.decision', 'd.effective_from'])
          .where('m.person_id', 'in', ids)
          .where('d.effective_from', '<=', STATUS_DAY)
          .where((eb) =>
            eb.or([
              eb.and([
                eb('d.decision', '=', 'APPROVED'),
                eb.or([eb('d.effective_to', 'is', null), eb('d.effective_to', '>=', STATUS_DAY)]),
              ]),
              eb.and([eb('d.decision', '=', 'TERMINATED'), eb('d.effective_to', '>=', STATUS_DAY)]),
            ]),
          )
          .orderBy('m.person_id')
          .orderBy('d.effective_from')
          .execute(),
      (row) => row.person_id,
    ),
  };
}

export type AssistanceLoaders = ReturnType<typeof createLoaders>;
