/**
 * Resolvers of civil affairs. Person and Household belong to the registry: a reference is taken
 * as given (checked for form only), and an id without records gets empty results, never null.
 */
import type { SubgraphContext } from '../runtime/definition.ts';
import { assertHouseholdNumber, assertIdentityNumber } from '../runtime/input.ts';
import type { AssistanceLoaders } from './loaders.ts';
import { assistanceChanges } from './feed.ts';
import { mutationResolvers } from './mutations.ts';
import { assistanceStatistics } from './statistics.ts';
import type { DeterminationRow, FeedbackRow, Program } from './tables.ts';

type Context = SubgraphContext<AssistanceLoaders>;
type Reference = { id: string };

/** The SDL's enum order, so that activePrograms reads the same for everyone. */
const PROGRAM_ORDER: readonly Program[] = [
  'DIBAO',
  'TEKUN',
  'LOW_INCOME',
  'EXPENDITURE_POVERTY',
  'TEMPORARY_ASSISTANCE',
];

export const resolvers = {
  Query: { assistanceChanges, assistanceStatistics },
  Mutation: mutationResolvers,
  Person: {
    __resolveReference: (ref: Reference) => ({ id: assertIdentityNumber(ref.id) }),
    assistanceStatus: async (p: Reference, _: unknown, { loaders }: Context) => {
      const coverage = await loaders.activeCoverage.load(p.id);
      const programs = new Set(coverage.map((d) => d.program));
      return {
        activePrograms: PROGRAM_ORDER.filter((program) => programs.has(program)),
        // Rows come ordered by effective_from: the first is the earliest.
        since: coverage[0]?.effective_from ?? null,
        phasingOut: coverage.some((d) => d.decision === 'TERMINATED'),
      };
    },
  },
  Household: {
    __resolveReference: (ref: Reference) => ({ id: assertHouseholdNumber(ref.id) }),
    determinations: (h: Reference, _: unknown, { loaders }: Context) =>
      loaders.determinations.load(h.id),
    assistanceFeedback: (h: Reference, _: unknown, { loaders }: Context) =>
      loaders.feedback.load(h.id),
  },
  Feedback: {
    determination: (f: FeedbackRow) => f.determination_id,
    effectiveOn: (f: FeedbackRow) => f.effective_on,
    recordedAt: (f: FeedbackRow) => f.recorded_at,
  },
  Determination: {
    caseId: (d: DeterminationRow) => d.case_id,
    decidedOn: (d: DeterminationRow) => d.decided_on,
    effectiveFrom: (d: DeterminationRow) => d.effective_from,
    effectiveTo: (d: DeterminationRow) => d.effective_to,
    monthlyAmount: (d: DeterminationRow) => d.monthly_amount,
    reviewCycleMonths: (d: DeterminationRow) => d.review_cycle_months,
    nextReviewOn: (d: DeterminationRow) => d.next_review_on,
    coveredMembers: (d: DeterminationRow) => d.covered_members,
  },
};
