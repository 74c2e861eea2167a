/** Writes each household's determinations, derived from its latent need and its own stream. */
import type { Seeder } from '../runtime/definition.ts';
import { AS_OF, type SynthHousehold } from '../runtime/seed/population.ts';
import { Random } from '../runtime/seed/random.ts';
import { insertMany } from '../runtime/seeding.ts';
import { nextReviewAfter } from './calendar.ts';
import { planDeterminations, type PlannedDetermination } from './rules.ts';
import type { AssistanceDB, DeterminationMemberRow, DeterminationRow } from './tables.ts';

/** Room for each household's cases in the sequence and case numbers (the seed makes at most 4). */
const CASES_PER_HOUSEHOLD = 10;

/** Reviews are due only while the determination still runs past AS_OF. */
function nextReviewOn(d: PlannedDetermination): string | null {
  if (d.decision !== 'APPROVED' || d.reviewCycleMonths === null) return null;
  if (d.effectiveTo !== null && d.effectiveTo <= AS_OF) return null;
  return nextReviewAfter(d.effectiveFrom, d.reviewCycleMonths, AS_OF);
}

/** 'MZ-440106-2025-000123': county, year of decision, and a number unique to the case. */
function caseId(h: SynthHousehold, decidedOn: string, sequence: number): string {
  return `MZ-${h.county.code}-${decidedOn.slice(0, 4)}-${String(sequence).padStart(6, '0')}`;
}

/** Working hours in Beijing time, recorded in UTC. */
function createdAt(decidedOn: string, random: Random): string {
  const hour = String(random.int(1, 9)).padStart(2, '0');
  const minute = String(random.int(0, 59)).padStart(2, '0');
  return `${decidedOn}T${hour}:${minute}:00.000Z`;
}

export function determinationRows(households: readonly SynthHousehold[], seed: number) {
  const determinations: DeterminationRow[] = [];
  const members: DeterminationMemberRow[] = [];
  for (const h of households) {
    const random = new Random(seed, 'assistance', h.index);
    const planned = planDeterminations(h, random).sort((a, b) =>
      a.decidedOn.localeCompare(b.decidedOn),
    );
    planned.forEach((d, k) => {
      const sequence = h.index * CASES_PER_HOUSEHOLD + k + 1;
      const id = `det-${sequence}`;
      determinations.push({
        id,
        household_id: h.id,
        case_id: caseId(h, d.decidedOn, sequence),
        program: d.program,
        decision: d.decision,
        decided_on: d.decidedOn,
        effective_from: d.effectiveFrom,
        effective_to: d.effectiveTo,
        monthly_amount: d.monthlyAmount,
        review_cycle_months: d.reviewCycleMonths,
        next_review_on: nextReviewOn(d),
        covered_members: d.members.length,
        region: h.county.code,
        created_at: createdAt(d.decidedOn, random),
        sequence,
      });
      for (const m of d.members) members.push({ determination_id: id, person_id: m.id });
    });
  }
  return { determinations, members };
}

export const seeder: Seeder<AssistanceDB> = {
  tables: ['idempotency_keys', 'changes', 'feedback', 'determination_members', 'determinations'],
  async seedChunk(db, households, seed) {
    const rows = determinationRows(households, seed);
    await insertMany(db, 'determinations', rows.determinations);
    await insertMany(db, 'determination_members', rows.members);
    // The seeded history is the start of the change feed, in the same order.
    await insertMany(
      db,
      'changes',
      rows.determinations.map((d) => ({
        sequence: d.sequence,
        kind: 'DETERMINATION' as const,
        record_id: d.id,
        household_id: d.household_id,
        recorded_at: d.created_at,
      })),
    );
  },
};
