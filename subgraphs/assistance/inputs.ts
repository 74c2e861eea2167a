/** Checks of the write inputs; every failure is BAD_USER_INPUT naming the field, never its value. */
import { badUserInput } from '../../schema/errors.ts';
import { assertHouseholdNumber, assertIdentityNumber } from '../runtime/input.ts';
import type { Decision, Program } from './tables.ts';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const CASE_ID = /^[A-Za-z0-9._:/-]{4,64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function day(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  const date = new Date(`${value}T00:00:00Z`);
  if (
    !DAY.test(value) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== value
  ) {
    throw badUserInput(`${field} must be a calendar day, YYYY-MM-DD`, { argument: field });
  }
  return value;
}

export function idempotencyKey(value: string): string {
  if (!KEY.test(value)) {
    throw badUserInput('idempotencyKey must be 8 to 128 characters of A-Z a-z 0-9 . _ : -', {
      argument: 'idempotencyKey',
    });
  }
  return value;
}

function amount(value: number | null | undefined, field: string, max: number): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw badUserInput(`${field} must be from 0 to ${max}`, { argument: field });
  }
  return Math.round(value * 100) / 100;
}

export interface DeterminationInput {
  idempotencyKey: string;
  household: string;
  caseId: string;
  program: Program;
  decision: Decision;
  decidedOn: string;
  effectiveFrom: string;
  effectiveTo?: string | null;
  monthlyAmount?: number | null;
  reviewCycleMonths?: number | null;
  coveredMembers: string[];
}

/** Programs paid in cash per month need an amount when approved. */
const CASH_PROGRAMS: readonly Program[] = ['DIBAO', 'TEKUN', 'TEMPORARY_ASSISTANCE'];

export function checkDetermination(input: DeterminationInput): DeterminationInput {
  const effectiveFrom = day(input.effectiveFrom, 'effectiveFrom')!;
  const effectiveTo = day(input.effectiveTo, 'effectiveTo');
  if (effectiveTo !== null && effectiveTo < effectiveFrom) {
    throw badUserInput('effectiveTo must not be before effectiveFrom', { argument: 'effectiveTo' });
  }
  if (!CASE_ID.test(input.caseId))
    throw badUserInput('caseId is malformed', { argument: 'caseId' });
  const members = input.coveredMembers.map((id) => assertIdentityNumber(id, 'coveredMembers'));
  if (members.length === 0 || members.length > 30 || new Set(members).size !== members.length) {
    throw badUserInput('coveredMembers must list 1 to 30 different members', {
      argument: 'coveredMembers',
    });
  }
  const monthlyAmount = amount(input.monthlyAmount, 'monthlyAmount', 100_000);
  if (
    input.decision === 'APPROVED' &&
    CASH_PROGRAMS.includes(input.program) &&
    monthlyAmount === null
  ) {
    throw badUserInput(`An approved ${input.program} determination needs monthlyAmount`, {
      argument: 'monthlyAmount',
    });
  }
  const cycle = input.reviewCycleMonths ?? null;
  if (cycle !== null && (!Number.isInteger(cycle) || cycle < 1 || cycle > 36)) {
    throw badUserInput('reviewCycleMonths must be from 1 to 36', { argument: 'reviewCycleMonths' });
  }
  return {
    idempotencyKey: idempotencyKey(input.idempotencyKey),
    household: assertHouseholdNumber(input.household, 'household'),
    caseId: input.caseId,
    program: input.program,
    decision: input.decision,
    decidedOn: day(input.decidedOn, 'decidedOn')!,
    effectiveFrom,
    effectiveTo,
    monthlyAmount,
    reviewCycleMonths: cycle,
    coveredMembers: members,
  };
}

export interface FeedbackInput {
  idempotencyKey: string;
  household: string;
  determination?: string | null;
  action: string;
  amount?: number | null;
  effectiveOn: string;
  note?: string | null;
}

export function checkFeedback(input: FeedbackInput): FeedbackInput {
  const note = input.note?.trim() || null;
  if (note !== null && note.length > 200)
    throw badUserInput('note must be at most 200 characters', { argument: 'note' });
  const determination = input.determination ?? null;
  if (determination !== null && !/^det-\d{1,15}$/.test(determination)) {
    throw badUserInput('determination is not a determination id', { argument: 'determination' });
  }
  return {
    idempotencyKey: idempotencyKey(input.idempotencyKey),
    household: assertHouseholdNumber(input.household, 'household'),
    determination,
    action: input.action,
    amount: amount(input.amount, 'amount', 10_000_000),
    effectiveOn: day(input.effectiveOn, 'effectiveOn')!,
    note,
  };
}
