/** Resolvers of the medical insurance subgraph. Input is checked here; access decisions are not. */
import { badUserInput } from '../../schema/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import type { ExpenseTotals, MedicalLoaders } from './loaders.ts';
import { WINDOW_MONTHS, settledPeriod, type SettledPeriod } from './periods.ts';
import type { InsuranceRow } from './tables.ts';

type Context = SubgraphContext<MedicalLoaders>;

interface PersonReference {
  id: string;
}

/**
 * The large-expense line: out-of-pocket spending of 20,000 CNY over 12 months, pro rata for
 * other periods. Real lines are set by each city (often a share of local per-capita income or
 * a multiple of the dibao standard); one province-wide figure keeps the signal comparable.
 */
const LARGE_EXPENSE_LINE_PER_YEAR = 20_000;

function assertMonths(months: number | null): number {
  if (months === null || months < 1 || months > WINDOW_MONTHS) {
    throw badUserInput(`months must be an integer from 1 to ${WINDOW_MONTHS}`, {
      argument: 'months',
    });
  }
  return months;
}

function toInsurance(row: InsuranceRow) {
  return {
    scheme: row.scheme,
    status: row.status,
    insuredSince: row.insured_since,
    premiumSubsidy:
      row.subsidy_kind === null || row.subsidy_amount === null || row.subsidy_year === null
        ? null
        : { kind: row.subsidy_kind, annualAmount: row.subsidy_amount, year: row.subsidy_year },
  };
}

/** The summary of a period from its totals in cents, so that total = reimbursed + outOfPocket. */
function summarize(totals: ExpenseTotals, period: SettledPeriod) {
  const outOfPocketCents = totals.totalCents - totals.reimbursedCents;
  const line = (LARGE_EXPENSE_LINE_PER_YEAR * period.months) / 12;
  return {
    ...period,
    total: totals.totalCents / 100,
    reimbursed: totals.reimbursedCents / 100,
    outOfPocket: outOfPocketCents / 100,
    inpatientStays: totals.inpatientStays,
    largeExpense: outOfPocketCents / 100 > line,
  };
}

export const resolvers = {
  Person: {
    // The bureau does not own Person: any reference resolves, unknown people get null fields.
    __resolveReference: (ref: PersonReference) => ref,
    medicalInsurance: async (p: PersonReference, _: unknown, { loaders }: Context) => {
      const row = await loaders.insurance.load(p.id);
      return row && toInsurance(row);
    },
    medicalExpenses: async (
      p: PersonReference,
      { months }: { months: number | null },
      { loaders }: Context,
    ) => {
      const period = settledPeriod(assertMonths(months));
      const [enrolled, totals] = await Promise.all([
        loaders.insurance.load(p.id),
        loaders.expenses.load({ person: p.id, months: period.months }),
      ]);
      // Someone the register does not know has no summary, not a zero one.
      return enrolled && summarize(totals, period);
    },
    criticalIllness: async (p: PersonReference, _: unknown, { loaders }: Context) => {
      const row = await loaders.insurance.load(p.id);
      return row && row.critical_illness === 1;
    },
  },
};
