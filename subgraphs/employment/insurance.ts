/**
 * Social insurance and unemployment registration, derived from the employment record and the
 * latent income: employees contribute on their wage, everyone else of working age on the
 * residents' scheme, and retirees draw the pension that is their latent income.
 */
import { AS_OF, type SynthPerson } from '../runtime/seed/population.ts';
import type { Random } from '../runtime/seed/random.ts';
import {
  addDays,
  addMonths,
  birthdayAt,
  BENEFIT_SHARE_OF_MINIMUM_WAGE,
  CONTRIBUTION_BASE,
  CURRENT_MONTH,
  earlierOf,
  laterOf,
  MINIMUM_WAGE,
  monthOf,
  monthsInclusive,
  RESIDENT_SCHEME_START,
} from './rules.ts';
import type { EmploymentRow, SocialInsuranceRow, UnemploymentRegistrationRow } from './tables.ts';
import { retiredFromCoveredJob, type HouseholdFacts } from './work.ts';

export interface InsuranceRecords {
  insurance: SocialInsuranceRow;
  registration: UnemploymentRegistrationRow | null;
}

/** Employees' pension requires 15 years of contributions. */
const EMPLOYEE_PENSION_MONTHS = 180;
/** Unemployment benefit needs a year of contributions; longer records pay for longer. */
const BENEFIT_MIN_MONTHS = 12;

function uninsured(personId: string): SocialInsuranceRow {
  return {
    person_id: personId,
    pension_scheme: 'NONE',
    contribution_base: null,
    contributing_months: 0,
    last_contribution_month: null,
    monthly_pension: null,
  };
}

/** Share of a possible span actually paid: gaps between jobs, years not paid. */
function coverage(random: Random, low: number): number {
  return low + (1 - low) * random.next();
}

function monthBefore(day: string): string {
  return monthOf(addDays(day, -1));
}

/** Residents' scheme contributions from its start (or age 16) to `lastMonth`. */
function residentScheme(
  person: SynthPerson,
  lastMonth: string,
  random: Random,
): SocialInsuranceRow {
  const firstMonth = laterOf(RESIDENT_SCHEME_START, monthOf(birthdayAt(person.birthDate, 16)));
  const span = monthsInclusive(firstMonth, lastMonth);
  const months = span === 0 ? 0 : Math.max(1, Math.round(span * coverage(random, 0.3)));
  return {
    ...uninsured(person.id),
    pension_scheme: 'URBAN_RURAL_RESIDENT',
    contributing_months: months,
    last_contribution_month: months === 0 ? null : lastMonth,
  };
}

/** Residents who still pay this year, or stopped one to five years ago. */
function residentContributor(person: SynthPerson, activeShare: number, random: Random) {
  const lastMonth = random.chance(activeShare)
    ? CURRENT_MONTH
    : monthOf(addMonths(AS_OF, -random.int(13, 60)));
  return residentScheme(person, lastMonth, random);
}

function employeeMonths(careerStart: string, lastMonth: string, random: Random): number {
  return Math.round(monthsInclusive(monthOf(careerStart), lastMonth) * coverage(random, 0.55));
}

function employed(person: SynthPerson, job: EmploymentRow, careerStart: string, random: Random) {
  const since = job.since ?? careerStart;
  const start = earlierOf(careerStart, since);
  const tenure = monthsInclusive(monthOf(since), CURRENT_MONTH);
  const career = monthsInclusive(monthOf(start), CURRENT_MONTH);
  const paid = Math.max(tenure, employeeMonths(start, CURRENT_MONTH, random));
  const base = Math.min(
    CONTRIBUTION_BASE.ceiling,
    Math.max(CONTRIBUTION_BASE.floor, person.monthlyIncome),
  );
  return {
    ...uninsured(person.id),
    pension_scheme: 'EMPLOYEE' as const,
    contribution_base: base,
    contributing_months: Math.min(career, paid),
    last_contribution_month: CURRENT_MONTH,
  };
}

function retired(person: SynthPerson, job: EmploymentRow, careerStart: string, random: Random) {
  const retiredOn = job.since ?? birthdayAt(person.birthDate, 60);
  if (!retiredFromCoveredJob(person)) {
    const record = residentScheme(person, monthBefore(birthdayAt(person.birthDate, 60)), random);
    const basic = random.int(200, 400);
    const pension = Math.min(person.monthlyIncome, basic);
    return { ...record, monthly_pension: pension > 0 ? pension : null };
  }
  const lastMonth = monthBefore(retiredOn);
  const possible = monthsInclusive(monthOf(birthdayAt(person.birthDate, 16)), lastMonth);
  const paid = Math.max(EMPLOYEE_PENSION_MONTHS, employeeMonths(careerStart, lastMonth, random));
  return {
    ...uninsured(person.id),
    pension_scheme: 'EMPLOYEE' as const,
    contributing_months: Math.min(possible, paid),
    last_contribution_month: lastMonth,
    monthly_pension: person.monthlyIncome,
  };
}

function registration(
  job: EmploymentRow,
  insurance: SocialInsuranceRow,
  household: HouseholdFacts,
  random: Random,
): UnemploymentRegistrationRow | null {
  if (!random.chance(0.85)) return null;
  const earliest = laterOf(job.since ?? AS_OF, addDays(AS_OF, -730));
  const registeredOn = earlierOf(addDays(earliest, random.int(0, 60)), addDays(AS_OF, -1));
  const months = insurance.pension_scheme === 'EMPLOYEE' ? insurance.contributing_months : 0;
  if (months < BENEFIT_MIN_MONTHS) {
    return {
      person_id: job.person_id,
      registered_on: registeredOn,
      benefit_monthly: null,
      benefit_until: null,
    };
  }
  const benefitMonths = months >= 120 ? 24 : months >= 60 ? 18 : 12;
  return {
    person_id: job.person_id,
    registered_on: registeredOn,
    benefit_monthly: Math.round(
      MINIMUM_WAGE[household.regionClass] * BENEFIT_SHARE_OF_MINIMUM_WAGE,
    ),
    benefit_until: addDays(addMonths(registeredOn, benefitMonths), -1),
  };
}

/** Someone who lost a covered job keeps the employee record, paused; others are residents. */
function unemployed(person: SynthPerson, job: EmploymentRow, careerStart: string, random: Random) {
  const lastMonth = monthBefore(job.since ?? AS_OF);
  const months = random.chance(0.6) ? employeeMonths(careerStart, lastMonth, random) : 0;
  if (months === 0) return residentContributor(person, 0.5, random);
  return {
    ...uninsured(person.id),
    pension_scheme: 'EMPLOYEE' as const,
    contributing_months: months,
    last_contribution_month: lastMonth,
  };
}

export function insuranceRecords(
  person: SynthPerson,
  household: HouseholdFacts,
  job: EmploymentRow | null,
  careerStart: string,
  random: Random,
): InsuranceRecords {
  if (job === null) return { insurance: uninsured(person.id), registration: null };
  switch (job.status) {
    case 'STUDENT':
      return { insurance: uninsured(person.id), registration: null };
    case 'EMPLOYED':
      return { insurance: employed(person, job, careerStart, random), registration: null };
    case 'RETIRED':
      return { insurance: retired(person, job, careerStart, random), registration: null };
    case 'UNEMPLOYED': {
      const insurance = unemployed(person, job, careerStart, random);
      return { insurance, registration: registration(job, insurance, household, random) };
    }
    case 'FLEXIBLE':
    case 'AGRICULTURE':
      return { insurance: residentContributor(person, 0.85, random), registration: null };
    case 'NOT_IN_LABOUR_FORCE':
      // Over 60 without a pension: what was paid before 60 stays on record, nothing is drawn.
      if (person.age >= 60) {
        return {
          insurance: residentScheme(person, monthBefore(birthdayAt(person.birthDate, 60)), random),
          registration: null,
        };
      }
      return { insurance: residentContributor(person, 0.8, random), registration: null };
  }
}
