/** Per-request loaders of the medical insurance register: one query per table per batch. */
import DataLoader from 'dataloader';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { MAX_BATCH_KEYS, optionalRowLoader } from '../runtime/loaders.ts';
import { LAST_SETTLED, monthOf, settledPeriod } from './periods.ts';
import type { MedicalDB } from './tables.ts';

/** A person's settled expenses over the `months` latest settled months, in whole cents. */
export interface ExpenseTotals {
  totalCents: number;
  reimbursedCents: number;
  inpatientStays: number;
}

export interface ExpenseKey {
  person: string;
  months: number;
}

const NO_EXPENSES: ExpenseTotals = { totalCents: 0, reimbursedCents: 0, inpatientStays: 0 };

/** The sum of `amount` over the months from `from` on (the query bounds the last month). */
const sumSince = (from: string, amount: RawBuilder<unknown>) =>
  sql<number>`sum(case when month >= ${from} then ${amount} else 0 end)`;

/**
 * The sums are taken by the database, one row per person, not one per person and month: a batch
 * review's 80 people have about 900 monthly rows, and fetching them cost 2.3 ms of CPU against
 * 0.8 for the sums (docs/performance.md). Each row is rounded to cents before it is
 * added, so total = reimbursed + out-of-pocket exactly. Every `months` a batch asks for is a
 * column set of the same statement (periods differ only in their first month), so any mix of
 * `months` arguments is still one query per batch.
 */
async function expenseTotals(
  db: Kysely<MedicalDB>,
  keys: readonly ExpenseKey[],
): Promise<ExpenseTotals[]> {
  const people = [...new Set(keys.map((k) => k.person))];
  const periods = [...new Set(keys.map((k) => k.months))].sort((a, b) => a - b);
  const firstMonths = periods.map((months) => settledPeriod(months).fromMonth);
  const rows = await db
    .selectFrom('medical_expenses')
    .select('person_id')
    .select(
      firstMonths.flatMap((from, i) => [
        sumSince(from, sql`cast(round(total * 100) as integer)`).as(`t${i}`),
        sumSince(from, sql`cast(round(reimbursed * 100) as integer)`).as(`r${i}`),
        sumSince(from, sql`inpatient_stays`).as(`s${i}`),
      ]),
    )
    .where('person_id', 'in', people)
    .where('month', '>=', firstMonths.at(-1)!)
    .where('month', '<=', monthOf(LAST_SETTLED))
    .groupBy('person_id')
    .execute();
  // PostgreSQL's sums are bigint, which its driver returns as strings.
  const byPerson = new Map(rows.map((row) => [row.person_id, row as Record<string, unknown>]));
  return keys.map(({ person, months }) => {
    const row = byPerson.get(person);
    if (!row) return NO_EXPENSES;
    const i = periods.indexOf(months);
    return {
      totalCents: Number(row[`t${i}`]),
      reimbursedCents: Number(row[`r${i}`]),
      inpatientStays: Number(row[`s${i}`]),
    };
  });
}

export function createLoaders(db: Kysely<MedicalDB>) {
  return {
    insurance: optionalRowLoader(
      (ids) =>
        db.selectFrom('medical_insurance').selectAll().where('person_id', 'in', ids).execute(),
      (row) => row.person_id,
    ),
    expenses: new DataLoader<ExpenseKey, ExpenseTotals, string>((keys) => expenseTotals(db, keys), {
      maxBatchSize: MAX_BATCH_KEYS,
      cacheKeyFn: (k) => `${k.months}:${k.person}`,
    }),
  };
}

export type MedicalLoaders = ReturnType<typeof createLoaders>;
