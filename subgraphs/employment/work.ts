/**
 * A person's employment record, derived from the population's latent work: status and since,
 * employer kind, and the difficulty assessment used for employment assistance.
 */
import type { RegionClass } from '../runtime/seed/guangdong.ts';
import { AS_OF, type Need, type SynthPerson, type Work } from '../runtime/seed/population.ts';
import type { Random } from '../runtime/seed/random.ts';
import { addDays, addMonths, birthdayAt, daysBetween, laterOf, WORKING_AGE } from './rules.ts';
import type {
  EmployerKind,
  EmploymentDifficulty,
  EmploymentRow,
  EmploymentStatus,
} from './tables.ts';

export interface HouseholdFacts {
  id: string;
  regionClass: RegionClass;
  need: Need;
  /** Some member is of working age and none of them works (employed, flexible or farming). */
  zeroEmployment: boolean;
}

const STATUS_OF_WORK: Record<Work, EmploymentStatus> = {
  employed: 'EMPLOYED',
  flexible: 'FLEXIBLE',
  farmer: 'AGRICULTURE',
  unemployed: 'UNEMPLOYED',
  retired: 'RETIRED',
  student: 'STUDENT',
  preschool: 'NOT_IN_LABOUR_FORCE',
  unable: 'NOT_IN_LABOUR_FORCE',
};

/** Below this pension the income is a residents' pension: the retiree never had a covered job. */
const EMPLOYEE_PENSION_MIN = 1500;
const LONG_UNEMPLOYED_DAYS = 365;
const DIFFICULT_FROM_AGE = 40;

export function isWorkingAge(person: SynthPerson): boolean {
  return person.age >= WORKING_AGE.min && person.age <= WORKING_AGE.max;
}

export function isWorking(work: Work): boolean {
  return work === 'employed' || work === 'flexible' || work === 'farmer';
}

export function retiredFromCoveredJob(person: SynthPerson): boolean {
  return person.work === 'retired' && person.monthlyIncome >= EMPLOYEE_PENSION_MIN;
}

/** Statutory retirement: men at 60; women at 50 (workers) or 55 (cadres) on the employee scheme. */
function retirementAge(person: SynthPerson, random: Random): number {
  if (person.gender === 'male' || !retiredFromCoveredJob(person)) return 60;
  return random.chance(0.7) ? 50 : 55;
}

/** A uniformly drawn day in [from, to]; `to` when the range is empty. */
function dayBetween(random: Random, from: string, to: string): string {
  const span = daysBetween(from, to);
  return span <= 0 ? to : addDays(from, random.int(0, span));
}

function yearsBefore(years: number): string {
  return addMonths(AS_OF, -12 * years);
}

function sinceFor(
  person: SynthPerson,
  status: EmploymentStatus,
  careerStart: string,
  random: Random,
): string | null {
  switch (status) {
    case 'EMPLOYED':
      return dayBetween(random, laterOf(careerStart, yearsBefore(15)), addDays(AS_OF, -30));
    case 'FLEXIBLE':
      return dayBetween(random, laterOf(careerStart, yearsBefore(10)), addDays(AS_OF, -30));
    case 'AGRICULTURE':
      return dayBetween(random, careerStart, yearsBefore(1));
    case 'UNEMPLOYED':
      return random.chance(0.35)
        ? dayBetween(random, laterOf(careerStart, yearsBefore(4)), addDays(AS_OF, -366))
        : dayBetween(random, yearsBefore(1), addDays(AS_OF, -20));
    case 'RETIRED':
      return birthdayAt(person.birthDate, retirementAge(person, random));
    case 'STUDENT': {
      // Enrolment in September: senior high school from 15-16, university from 18-19.
      const yearsIn = random.int(0, Math.max(0, Math.min(3, person.age - 16)));
      return `${Number(AS_OF.slice(0, 4)) - 1 - yearsIn}-09-01`;
    }
    case 'NOT_IN_LABOUR_FORCE':
      // Illness or disability ended a working life for some; others never worked.
      if (person.age < 20 || person.age >= 60 || !random.chance(0.6)) return null;
      return dayBetween(random, laterOf(careerStart, yearsBefore(15)), addDays(AS_OF, -90));
  }
}

function employerKindFor(status: EmploymentStatus, random: Random): EmployerKind | null {
  if (status === 'EMPLOYED') return random.chance(0.15) ? 'PUBLIC_INSTITUTION' : 'ENTERPRISE';
  if (status === 'FLEXIBLE') return random.chance(0.45) ? 'INDIVIDUAL_BUSINESS' : 'SELF_EMPLOYED';
  return null;
}

function difficultyFor(
  person: SynthPerson,
  household: HouseholdFacts,
  status: EmploymentStatus,
  since: string | null,
  random: Random,
): EmploymentDifficulty {
  if (person.disability) return 'DISABLED';
  const workingAge = isWorkingAge(person);
  if (workingAge && household.zeroEmployment) return 'ZERO_EMPLOYMENT_HOUSEHOLD';
  if (status === 'UNEMPLOYED') {
    const longUnemployed = since !== null && daysBetween(since, AS_OF) > LONG_UNEMPLOYED_DAYS;
    if (longUnemployed && person.age >= DIFFICULT_FROM_AGE) return 'DIFFICULT';
  }
  // Dibao recipients of working age are assessed too: the unemployed always, others sometimes.
  if (household.need === 'dibao' && workingAge && status !== 'STUDENT') {
    if (status === 'UNEMPLOYED' || random.chance(0.35)) return 'DIFFICULT';
  }
  return 'NONE';
}

/** The employment record of a person aged 16+; null for younger residents (not registered). */
export function employmentRecord(
  person: SynthPerson,
  household: HouseholdFacts,
  careerStart: string,
  random: Random,
): EmploymentRow | null {
  if (person.age < WORKING_AGE.min) return null;
  const status = STATUS_OF_WORK[person.work];
  const since = sinceFor(person, status, careerStart, random);
  return {
    person_id: person.id,
    household_id: household.id,
    status,
    since,
    employer_kind: employerKindFor(status, random),
    difficulty: difficultyFor(person, household, status, since, random),
  };
}
