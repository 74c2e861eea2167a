/** Per-request loaders of civil affairs: one query per batch of households or of persons. */
import type { Kysely } from 'kysely';
import { AS_OF } from '../runtime/seed/population.ts';
import { groupLoader } from '../runtime/loaders.ts';
import type { AssistanceDB } from './tables.ts';

/**
 * The day "currently effective" refers to: today, but never before AS_OF, the day the synthetic
 * registry describes (so a fresh seed reads as it was generated, and new records count from
 * the day they take effect).
 */
export function statusDay(now = new Date()): string {
  const today = now.toISOString().slice(0, 10);
  return today > AS_OF ? today : AS_OF;
}

export function createLoaders(db: Kysely<AssistanceDB>) {
  const day = statusDay();
  return {
    /** Writes and the feed run their own statements in transactions. */
    db,
    /** A household's feedback, newest first. */
    feedback: groupLoader(
      (ids) =>
        db
          .selectFrom('feedback')
          .selectAll()
          .where('household_id', 'in', ids)
          .orderBy('household_id')
          .orderBy('recorded_at', 'desc')
          .execute(),
      (row) => row.household_id,
    ),
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
    /** Determinations covering each person on the status day: approved ones and running phase-outs. */
    activeCoverage: groupLoader(
      (ids) =>
        db
          .selectFrom('determination_members as m')
          .innerJoin('determinations as d', 'd.id', 'm.determination_id')
          .select(['m.person_id', 'd.program', 'd.decision', 'd.effective_from'])
          .where('m.person_id', 'in', ids)
          .where('d.effective_from', '<=', day)
          .where((eb) =>
            eb.or([
              eb.and([
                eb('d.decision', '=', 'APPROVED'),
                eb.or([eb('d.effective_to', 'is', null), eb('d.effective_to', '>=', day)]),
              ]),
              eb.and([eb('d.decision', '=', 'TERMINATED'), eb('d.effective_to', '>=', day)]),
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
