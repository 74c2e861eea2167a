/**
 * Monthly medical expenses as the fund settled them: most people see a doctor now and then for
 * small sums, chronic illness means regular visits and more hospital stays, and a critical
 * illness brings costly inpatient spells (tens of thousands of CNY, sometimes over 100,000).
 */
import type { Need, SynthPerson } from '../runtime/seed/population.ts';
import type { Random } from '../runtime/seed/random.ts';
import type { Enrolment } from './enrolment.ts';
import { FIRST_SETTLED, LAST_SETTLED, monthIndex, monthOf } from './periods.ts';
import type { ExpenseRow } from './tables.ts';

interface Risk {
  /** Chance of any outpatient expense in a month, and the median of a month's outpatient bill. */
  outpatient: number;
  outpatientMedian: number;
  /** Chance of a hospital stay starting in a month, and the median bill of a stay. */
  inpatient: number;
  inpatientMedian: number;
}

/** Medical assistance pays this share of what insurance leaves to recipients. */
const ASSISTANCE_SHARE: Record<NonNullable<Need>, number> = {
  tekun: 0.8,
  dibao: 0.6,
  'low-income': 0.4,
};
/** Months after a critical diagnosis with surgery, chemotherapy or dialysis set-up. */
const INTENSIVE_MONTHS = 6;

function baseRisk(person: SynthPerson): Risk {
  const age = person.age;
  const outpatient = age < 6 ? 0.35 : age < 18 ? 0.18 : age < 40 ? 0.15 : age < 60 ? 0.22 : 0.35;
  const inpatient = age < 6 ? 0.006 : age < 40 ? 0.003 : age < 60 ? 0.006 : age < 75 ? 0.012 : 0.02;
  const inpatientMedian = age >= 60 ? 10_000 : 7_000;
  if (!person.chronicIllness)
    return { outpatient, outpatientMedian: 150, inpatient, inpatientMedian };
  // Regular visits and medicines for hypertension, diabetes and the like.
  return {
    outpatient: Math.min(0.95, outpatient + 0.5),
    outpatientMedian: 420,
    inpatient: inpatient * 2.5,
    inpatientMedian,
  };
}

/** Risk in a month `sinceDiagnosis` months after a critical diagnosis (negative: before it). */
function criticalRisk(base: Risk, sinceDiagnosis: number): Risk {
  if (sinceDiagnosis < 0) return base;
  const intensive = sinceDiagnosis < INTENSIVE_MONTHS;
  return {
    outpatient: Math.max(base.outpatient, 0.85),
    outpatientMedian: 1_500,
    inpatient: intensive ? 0.55 : 0.08,
    inpatientMedian: intensive ? 30_000 : 20_000,
  };
}

function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** Share of a bill the fund (and medical assistance) paid, by scheme and assistance. */
function reimbursementRatio(enrolment: Enrolment, need: Need, random: Random): number {
  const base =
    enrolment.row.scheme === 'URBAN_EMPLOYEE'
      ? 0.7 + random.next() * 0.15
      : 0.5 + random.next() * 0.15;
  return base + (1 - base) * (need === null ? 0 : ASSISTANCE_SHARE[need]);
}

export function monthlyExpenses(
  person: SynthPerson,
  need: Need,
  enrolment: Enrolment,
  random: Random,
): ExpenseRow[] {
  if (!enrolment.covered) return [];
  const base = baseRisk(person);
  // Half the critically ill were diagnosed before the window and are in long-term treatment.
  const diagnosed = random.chance(0.5)
    ? FIRST_SETTLED - random.int(1, 36)
    : random.int(FIRST_SETTLED, LAST_SETTLED);
  const from = Math.max(FIRST_SETTLED, enrolment.covered.from, monthIndex(person.birthDate));
  const to = Math.min(LAST_SETTLED, enrolment.covered.to);
  const rows: ExpenseRow[] = [];
  for (let month = from; month <= to; month++) {
    const risk = person.criticalIllness ? criticalRisk(base, month - diagnosed) : base;
    let total = 0;
    let stays = 0;
    if (random.chance(risk.outpatient)) total += random.logNormal(risk.outpatientMedian, 0.8);
    if (random.chance(risk.inpatient)) {
      stays += 1;
      total += random.logNormal(risk.inpatientMedian, 0.7);
    }
    if (total === 0) continue;
    const amount = cents(total);
    const reimbursed = cents(amount * reimbursementRatio(enrolment, need, random));
    rows.push({
      person_id: person.id,
      month: monthOf(month),
      total: amount,
      reimbursed,
      out_of_pocket: cents(amount - reimbursed),
      inpatient_stays: stays,
    });
  }
  return rows;
}
