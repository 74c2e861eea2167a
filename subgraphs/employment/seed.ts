/** Publishes each household's employment, unemployment and social-insurance records. */
import type { Seeder } from '../runtime/definition.ts';
import { insertMany } from '../runtime/seeding.ts';
import type { SynthHousehold } from '../runtime/seed/population.ts';
import { Random } from '../runtime/seed/random.ts';
import { insuranceRecords } from './insurance.ts';
import { birthdayAt } from './rules.ts';
import type {
  EmploymentDB,
  EmploymentRow,
  SocialInsuranceRow,
  UnemploymentRegistrationRow,
} from './tables.ts';
import { employmentRecord, isWorking, isWorkingAge, type HouseholdFacts } from './work.ts';

export interface HouseholdRecords {
  employment: EmploymentRow[];
  registrations: UnemploymentRegistrationRow[];
  insurance: SocialInsuranceRow[];
}

export function isZeroEmploymentHousehold(household: SynthHousehold): boolean {
  const workingAge = household.members.filter(isWorkingAge);
  return workingAge.length > 0 && !workingAge.some((m) => isWorking(m.work));
}

/** Everything the department holds on one household, from its latent facts and seed alone. */
export function householdRecords(household: SynthHousehold, seed: number): HouseholdRecords {
  const facts: HouseholdFacts = {
    id: household.id,
    regionClass: household.prefecture.regionClass,
    need: household.need,
    zeroEmployment: isZeroEmploymentHousehold(household),
  };
  const records: HouseholdRecords = { employment: [], registrations: [], insurance: [] };
  household.members.forEach((person, memberIndex) => {
    const random = new Random(seed, 'employment', household.index, memberIndex);
    // First job or farm work after school (18-22), never later than today.
    const careerStart = birthdayAt(person.birthDate, Math.min(random.int(18, 22), person.age));
    const job = employmentRecord(person, facts, careerStart, random);
    const { insurance, registration } = insuranceRecords(person, facts, job, careerStart, random);
    if (job) records.employment.push(job);
    if (registration) records.registrations.push(registration);
    records.insurance.push(insurance);
  });
  return records;
}

export const seeder: Seeder<EmploymentDB> = {
  tables: ['unemployment_registrations', 'social_insurance', 'employment_records'],
  async seedChunk(db, households, seed) {
    const all: HouseholdRecords = { employment: [], registrations: [], insurance: [] };
    for (const household of households) {
      const records = householdRecords(household, seed);
      all.employment.push(...records.employment);
      all.registrations.push(...records.registrations);
      all.insurance.push(...records.insurance);
    }
    await insertMany(db, 'employment_records', all.employment);
    await insertMany(db, 'unemployment_registrations', all.registrations);
    await insertMany(db, 'social_insurance', all.insurance);
  },
};
