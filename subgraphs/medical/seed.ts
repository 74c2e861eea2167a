/** Writes each household's enrolment records and settled monthly expenses. */
import type { Seeder } from '../runtime/definition.ts';
import { Random } from '../runtime/seed/random.ts';
import { insertMany } from '../runtime/seeding.ts';
import type { SynthHousehold } from '../runtime/seed/population.ts';
import { enrol } from './enrolment.ts';
import { monthlyExpenses } from './expenses.ts';
import type { ExpenseRow, InsuranceRow, MedicalDB } from './tables.ts';

export interface MedicalRecords {
  insurance: InsuranceRow[];
  expenses: ExpenseRow[];
}

/** One household's records, from its latent facts and its own streams alone. */
export function medicalRecords(household: SynthHousehold, seed: number): MedicalRecords {
  const insurance: InsuranceRow[] = [];
  const expenses: ExpenseRow[] = [];
  household.members.forEach((person, memberIndex) => {
    const stream = (purpose: string) =>
      new Random(seed, 'medical', household.index, memberIndex, purpose);
    const enrolment = enrol(household, person, stream('insurance'));
    insurance.push(enrolment.row);
    expenses.push(...monthlyExpenses(person, household.need, enrolment, stream('expenses')));
  });
  return { insurance, expenses };
}

export const seeder: Seeder<MedicalDB> = {
  tables: ['medical_expenses', 'medical_insurance'],
  async seedChunk(db, households, seed) {
    const insurance: InsuranceRow[] = [];
    const expenses: ExpenseRow[] = [];
    for (const household of households) {
      const records = medicalRecords(household, seed);
      insurance.push(...records.insurance);
      expenses.push(...records.expenses);
    }
    await insertMany(db, 'medical_insurance', insurance);
    await insertMany(db, 'medical_expenses', expenses);
  },
};
