/**
 * The seed's determinations for one household, derived from its latent facts: what civil affairs
 * decided on the household's applications over the last six years, as of AS_OF.
 */
import { STANDARDS } from '../../schema/standards.ts';
import { AS_OF, type SynthHousehold, type SynthPerson } from '../runtime/seed/population.ts';
import type { Random } from '../runtime/seed/random.ts';
import { addDays, addMonths, dayBetween, firstOfNextMonth } from './calendar.ts';
import type { Decision, Program } from './tables.ts';

export interface PlannedDetermination {
  program: Program;
  decision: Decision;
  decidedOn: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  monthlyAmount: number | null;
  reviewCycleMonths: number | null;
  members: readonly SynthPerson[];
}

/** Smallest dibao payment: a household just under the standard still receives something. */
export const MIN_DIBAO_PAYMENT = 50;
const SIX_YEARS_AGO = addMonths(AS_OF, -72);
const FIVE_YEARS_AGO = addMonths(AS_OF, -60);
/** Latest decision day whose first effective month is still a year before AS_OF. */
const LATEST_SETTLED = addMonths(AS_OF, -13);

/** Members a household-wide determination covers: the living and still registered ones. */
function coveredMembers(h: SynthHousehold): readonly SynthPerson[] {
  const present = h.members.filter((m) => m.status === 'active');
  return present.length > 0 ? present : h.members.slice(0, 1);
}

/** An approval decided on a day, paid from the first day of the following month. */
function approval(
  program: Program,
  decidedOn: string,
  members: readonly SynthPerson[],
  monthlyAmount: number | null,
  reviewCycleMonths: number | null,
): PlannedDetermination {
  const effectiveFrom = firstOfNextMonth(decidedOn);
  const base = { program, decidedOn, effectiveFrom, effectiveTo: null, members };
  return { ...base, decision: 'APPROVED', monthlyAmount, reviewCycleMonths };
}

function rejection(program: Program, decidedOn: string, members: readonly SynthPerson[]) {
  const base = { program, decidedOn, effectiveFrom: decidedOn, effectiveTo: null, members };
  return { ...base, decision: 'REJECTED', monthlyAmount: null, reviewCycleMonths: null } as const;
}

function dibaoAmount(h: SynthHousehold, covered: number): number {
  return Math.max(MIN_DIBAO_PAYMENT, Math.round((h.dibaoStandard - h.perCapitaIncome) * covered));
}

/** Wages and flexible work change month to month, so such households are reviewed more often. */
function hasVariableIncome(h: SynthHousehold): boolean {
  return h.members.some((m) => m.work === 'employed' || m.work === 'flexible');
}

function tekun(h: SynthHousehold, random: Random): PlannedDetermination[] {
  const amount = Math.round(STANDARDS.tekunSupportFactor * h.dibaoStandard);
  const decidedOn = dayBetween(random, SIX_YEARS_AGO, LATEST_SETTLED);
  return [
    approval('TEKUN', decidedOn, h.members.slice(0, 1), amount, STANDARDS.reviewMonths.tekun),
  ];
}

/** Current dibao, sometimes after an earlier low-income status or a rejected application. */
function dibao(h: SynthHousehold, random: Random): PlannedDetermination[] {
  const members = coveredMembers(h);
  const cycle = hasVariableIncome(h)
    ? STANDARDS.reviewMonths.variableDibao
    : STANDARDS.reviewMonths.stableDibao;
  const history = random.weighted([
    ['none', 60],
    ['low-income', 25],
    ['rejected', 15],
  ] as const);
  const decidedOn = dayBetween(
    random,
    history === 'none' ? SIX_YEARS_AGO : FIVE_YEARS_AGO,
    LATEST_SETTLED,
  );
  const current = approval('DIBAO', decidedOn, members, dibaoAmount(h, members.length), cycle);
  if (history === 'none') return [current];
  const earlierOn = dayBetween(random, SIX_YEARS_AGO, addMonths(decidedOn, -3));
  if (history === 'rejected') return [current, rejection('DIBAO', earlierOn, h.members)];
  const superseded = approval(
    'LOW_INCOME',
    earlierOn,
    members,
    null,
    STANDARDS.reviewMonths.lowIncome,
  );
  return [current, { ...superseded, effectiveTo: addDays(current.effectiveFrom, -1) }];
}

/** Low-income status: no cash, access to special assistance; some first applied for dibao. */
function lowIncome(h: SynthHousehold, random: Random): PlannedDetermination[] {
  const members = coveredMembers(h);
  const decidedOn = dayBetween(random, SIX_YEARS_AGO, LATEST_SETTLED);
  const current = approval(
    'LOW_INCOME',
    decidedOn,
    members,
    null,
    STANDARDS.reviewMonths.lowIncome,
  );
  if (decidedOn < FIVE_YEARS_AGO || !random.chance(0.2)) return [current];
  const rejectedOn = dayBetween(random, SIX_YEARS_AGO, addMonths(decidedOn, -2));
  return [current, rejection('DIBAO', rejectedOn, h.members)];
}

/** Dibao ended after a member found work; payments continue for the phase-out months. */
function terminatedAfterEmployment(h: SynthHousehold, random: Random): PlannedDetermination {
  const members = coveredMembers(h);
  // Half of the terminations are recent enough that the phase-out is still running on AS_OF.
  const terminatedOn = addMonths(AS_OF, -random.int(0, 2 * STANDARDS.phaseOutMonths - 1));
  const startedOn = dayBetween(random, SIX_YEARS_AGO, LATEST_SETTLED);
  const amount = Math.round(h.dibaoStandard * members.length * (0.2 + 0.3 * random.next()));
  return {
    program: 'DIBAO',
    decision: 'TERMINATED',
    decidedOn: addDays(terminatedOn, -random.int(0, 20)),
    effectiveFrom: firstOfNextMonth(startedOn),
    effectiveTo: addDays(addMonths(terminatedOn, STANDARDS.phaseOutMonths), -1),
    monthlyAmount: amount,
    reviewCycleMonths: null,
    members,
  };
}

/** Households above the lines: illness-driven hardship claims and rejected dibao applications. */
function withoutNeed(h: SynthHousehold, random: Random): PlannedDetermination[] {
  const out: PlannedDetermination[] = [];
  const members = coveredMembers(h);
  const decidedOn = () => dayBetween(random, SIX_YEARS_AGO, LATEST_SETTLED);
  if (members.some((m) => m.criticalIllness) && random.chance(0.45)) {
    out.push(
      random.chance(0.25)
        ? approval(
            'EXPENDITURE_POVERTY',
            decidedOn(),
            members,
            null,
            STANDARDS.reviewMonths.lowIncome,
          )
        : rejection('EXPENDITURE_POVERTY', decidedOn(), h.members),
    );
  }
  if (random.chance(0.02)) out.push(rejection('DIBAO', decidedOn(), h.members));
  // Ex-dibao households earn not far above the line: a job lifted them out of it.
  const nearTheLine = h.perCapitaIncome < 2 * h.dibaoStandard;
  if (nearTheLine && h.members.some((m) => m.work === 'employed') && random.chance(0.04)) {
    out.push(terminatedAfterEmployment(h, random));
  }
  return out;
}

/** One-off help after a typhoon or flood, or a costly illness: paid once, over 1-3 months. */
function temporaryAssistance(h: SynthHousehold, random: Random): PlannedDetermination[] {
  const members = coveredMembers(h);
  const ill = members.some((m) => m.criticalIllness || m.chronicIllness);
  const hazard = Math.max(h.prefecture.typhoonExposure, h.prefecture.floodExposure);
  if (!random.chance(0.01 + 0.04 * hazard + (ill ? 0.05 : 0))) return [];
  const multiple = ill && random.chance(0.6) ? 2 + 4 * random.next() : 1 + 2 * random.next();
  const amount = Math.round((h.dibaoStandard * multiple) / 10) * 10;
  const help = approval(
    'TEMPORARY_ASSISTANCE',
    dayBetween(random, SIX_YEARS_AGO, LATEST_SETTLED),
    members,
    amount,
    null,
  );
  return [{ ...help, effectiveTo: addMonths(help.effectiveFrom, random.int(1, 3)) }];
}

/** Every determination of the household, in no particular order. */
export function planDeterminations(h: SynthHousehold, random: Random): PlannedDetermination[] {
  const main =
    h.need === 'tekun'
      ? tekun(h, random)
      : h.need === 'dibao'
        ? dibao(h, random)
        : h.need === 'low-income'
          ? lowIncome(h, random)
          : withoutNeed(h, random);
  return [...main, ...temporaryAssistance(h, random)];
}
