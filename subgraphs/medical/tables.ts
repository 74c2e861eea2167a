/** The healthcare security bureau's tables: one enrolment record per person, expenses per month. */
import type { Migration } from 'kysely';

export type InsuranceScheme = 'URBAN_EMPLOYEE' | 'URBAN_RURAL_RESIDENT' | 'NONE';
export type InsuranceStatus = 'INSURED' | 'LAPSED' | 'NOT_INSURED';
export type PremiumSubsidyKind = 'FULL' | 'PARTIAL';

/**
 * The universal-enrolment register (全民参保登记) holds every resident, insured or not, so a
 * missing row means a person the bureau does not know.
 */
export type InsuranceRow = {
  person_id: string;
  scheme: InsuranceScheme;
  status: InsuranceStatus;
  /** ISO date of the first month of the current (or last) enrolment. */
  insured_since: string | null;
  subsidy_kind: PremiumSubsidyKind | null;
  subsidy_amount: number | null;
  subsidy_year: number | null;
  /** 0/1 (SQLite has no boolean): registered for a critical or special chronic disease. */
  critical_illness: number;
};

/** What the fund settled for one person in one month with any expense. */
export type ExpenseRow = {
  person_id: string;
  /** YYYY-MM */
  month: string;
  total: number;
  reimbursed: number;
  out_of_pocket: number;
  /** Inpatient stays that began in the month. */
  inpatient_stays: number;
};

export interface MedicalDB {
  medical_insurance: InsuranceRow;
  medical_expenses: ExpenseRow;
}

export const migrations: Record<string, Migration> = {
  '0001_medical': {
    async up(db) {
      await db.schema
        .createTable('medical_insurance')
        .addColumn('person_id', 'text', (c) => c.primaryKey())
        .addColumn('scheme', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('insured_since', 'text')
        .addColumn('subsidy_kind', 'text')
        .addColumn('subsidy_amount', 'double precision')
        .addColumn('subsidy_year', 'integer')
        .addColumn('critical_illness', 'integer', (c) => c.notNull())
        .execute();
      // The primary key (person_id, month) is also the index the expense loader looks up by.
      await db.schema
        .createTable('medical_expenses')
        .addColumn('person_id', 'text', (c) =>
          c.notNull().references('medical_insurance.person_id'),
        )
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('total', 'double precision', (c) => c.notNull())
        .addColumn('reimbursed', 'double precision', (c) => c.notNull())
        .addColumn('out_of_pocket', 'double precision', (c) => c.notNull())
        .addColumn('inpatient_stays', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('medical_expenses_pk', ['person_id', 'month'])
        .execute();
    },
  },
};
