/** recordDetermination and recordFeedback: validated, authorized through the guard, idempotent. */
import type { Kysely } from 'kysely';
import { ErrorCode, PlatformError, badUserInput } from '../../schema/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import { addMonths } from './calendar.ts';
import {
  checkDetermination,
  checkFeedback,
  type DeterminationInput,
  type FeedbackInput,
} from './inputs.ts';
import type { AssistanceLoaders } from './loaders.ts';
import type { AssistanceDB, Program } from './tables.ts';
import { idempotentWrite } from './writes.ts';

type Context = SubgraphContext<AssistanceLoaders>;

/** The purpose each program's determinations are recorded under (periodic-review fits all). */
const PROGRAM_PURPOSE: Record<Program, string> = {
  DIBAO: 'dibao',
  TEKUN: 'tekun',
  LOW_INCOME: 'low-income',
  EXPENDITURE_POVERTY: 'expenditure-poverty',
  TEMPORARY_ASSISTANCE: 'temporary-assistance',
};

async function recordDetermination(
  db: Kysely<AssistanceDB>,
  input: DeterminationInput,
  ctx: Context,
) {
  const d = checkDetermination(input);
  const purpose = ctx.access.purpose;
  if (purpose !== PROGRAM_PURPOSE[d.program] && purpose !== 'periodic-review') {
    throw new PlatformError(
      ErrorCode.PURPOSE_NOT_ALLOWED,
      `A ${d.program} determination is recorded under the purpose "${PROGRAM_PURPOSE[d.program]}" or "periodic-review"`,
    );
  }
  const field = 'Mutation.recordDetermination';
  ctx.guard.require('assistance', { kind: 'household', id: d.household }, field);
  const members = ctx.guard.registryMembers(d.household);
  const outsiders = d.coveredMembers.filter((id) => !members?.has(id));
  if (outsiders.length > 0) {
    for (const id of outsiders)
      ctx.guard.report.deny({ kind: 'person', id }, field, 'BAD_USER_INPUT');
    throw badUserInput(
      members
        ? `coveredMembers lists ${outsiders.length} person(s) the household registry does not list in this household`
        : "coveredMembers cannot be checked: the gateway did not confirm the household's registered members",
      { argument: 'coveredMembers' },
    );
  }
  for (const id of d.coveredMembers) ctx.guard.require('assistance', { kind: 'person', id }, field);
  const identity = {
    department: ctx.access.caller.dept,
    idempotencyKey: d.idempotencyKey,
    operation: 'recordDetermination' as const,
    input: d,
  };
  const id = await idempotentWrite(
    db,
    identity,
    'DETERMINATION',
    d.household,
    async (trx, sequence, now) => {
      const id = `det-${sequence}`;
      const running = d.decision === 'APPROVED' && d.reviewCycleMonths !== null;
      await trx
        .insertInto('determinations')
        .values({
          id,
          household_id: d.household,
          case_id: d.caseId,
          program: d.program,
          decision: d.decision,
          decided_on: d.decidedOn,
          effective_from: d.effectiveFrom,
          effective_to: d.effectiveTo ?? null,
          monthly_amount: d.monthlyAmount ?? null,
          review_cycle_months: d.reviewCycleMonths ?? null,
          next_review_on: running ? addMonths(d.effectiveFrom, d.reviewCycleMonths!) : null,
          covered_members: d.coveredMembers.length,
          region: d.household.slice(0, 6),
          created_at: now,
          sequence,
        })
        .execute();
      await trx
        .insertInto('determination_members')
        .values(d.coveredMembers.map((person_id) => ({ determination_id: id, person_id })))
        .execute();
      return id;
    },
  );
  return db.selectFrom('determinations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function recordFeedback(db: Kysely<AssistanceDB>, input: FeedbackInput, ctx: Context) {
  const f = checkFeedback(input);
  if (f.determination) {
    // Whether a determination exists, or belongs to another household, is for callers who may
    // read this household's assistance data: anyone else gets the same coded refusal, unlooked.
    ctx.guard.require(
      'assistance',
      { kind: 'household', id: f.household },
      'Mutation.recordFeedback',
    );
    const determination = await db
      .selectFrom('determinations')
      .select('household_id')
      .where('id', '=', f.determination)
      .executeTakeFirst();
    if (determination?.household_id !== f.household) {
      throw badUserInput('determination is not one of this household', {
        argument: 'determination',
      });
    }
  }
  const department = ctx.access.caller.dept;
  const identity = {
    department,
    idempotencyKey: f.idempotencyKey,
    operation: 'recordFeedback' as const,
    input: f,
  };
  const id = await idempotentWrite(
    db,
    identity,
    'FEEDBACK',
    f.household,
    async (trx, sequence, now) => {
      const id = `fb-${sequence}`;
      await trx
        .insertInto('feedback')
        .values({
          id,
          household_id: f.household,
          determination_id: f.determination ?? null,
          department,
          action: f.action,
          amount: f.amount ?? null,
          effective_on: f.effectiveOn,
          note: f.note ?? null,
          recorded_at: now,
        })
        .execute();
      return id;
    },
  );
  return db.selectFrom('feedback').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export const mutationResolvers = {
  recordDetermination: (_: unknown, { input }: { input: DeterminationInput }, ctx: Context) =>
    recordDetermination(ctx.loaders.db, input, ctx),
  recordFeedback: (_: unknown, { input }: { input: FeedbackInput }, ctx: Context) =>
    recordFeedback(ctx.loaders.db, input, ctx),
};
