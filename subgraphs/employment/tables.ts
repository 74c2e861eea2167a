/** Tables of HR and social security: employment records, unemployment registrations, insurance. */
import type { Migration } from 'kysely';

export type EmploymentStatus =
  | 'EMPLOYED'
  | 'FLEXIBLE'
  | 'AGRICULTURE'
  | 'UNEMPLOYED'
  | 'RETIRED'
  | 'STUDENT'
  | 'NOT_IN_LABOUR_FORCE';
export type EmployerKind =
  'ENTERPRISE' | 'PUBLIC_INSTITUTION' | 'INDIVIDUAL_BUSINESS' | 'SELF_EMPLOYED';
export type EmploymentDifficulty = 'NONE' | 'DIFFICULT' | 'ZERO_EMPLOYMENT_HOUSEHOLD' | 'DISABLED';
export type PensionScheme = 'EMPLOYEE' | 'URBAN_RURAL_RESIDENT' | 'NONE';

/** One per person aged 16 or over (younger residents are outside the labour register). */
export interface EmploymentRow {
  person_id: string;
  /** The registered household the record was filed under (zero-employment identification). */
  household_id: string;
  status: EmploymentStatus;
  since: string | null;
  employer_kind: EmployerKind | null;
  difficulty: EmploymentDifficulty;
}

export interface UnemploymentRegistrationRow {
  person_id: string;
  registered_on: string;
  benefit_monthly: number | null;
  benefit_until: string | null;
}

/** One per resident, children included (scheme NONE). */
export interface SocialInsuranceRow {
  person_id: string;
  pension_scheme: PensionScheme;
  contribution_base: number | null;
  contributing_months: number;
  /** 'YYYY-MM'. */
  last_contribution_month: string | null;
  monthly_pension: number | null;
}

export interface EmploymentDB {
  employment_records: EmploymentRow;
  unemployment_registrations: UnemploymentRegistrationRow;
  social_insurance: SocialInsuranceRow;
}

export const migrations: Record<string, Migration> = {
  '0001_employment': {
    async up(db) {
      await db.schema
        .createTable('employment_records')
        .addColumn('person_id', 'text', (c) => c.primaryKey())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('since', 'text')
        .addColumn('employer_kind', 'text')
        .addColumn('difficulty', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('employment_records_household')
        .on('employment_records')
        .column('household_id')
        .execute();
      await db.schema
        .createTable('unemployment_registrations')
        .addColumn('person_id', 'text', (c) => c.primaryKey())
        .addColumn('registered_on', 'text', (c) => c.notNull())
        .addColumn('benefit_monthly', 'double precision')
        .addColumn('benefit_until', 'text')
        .execute();
      await db.schema
        .createTable('social_insurance')
        .addColumn('person_id', 'text', (c) => c.primaryKey())
        .addColumn('pension_scheme', 'text', (c) => c.notNull())
        .addColumn('contribution_base', 'double precision')
        .addColumn('contributing_months', 'integer', (c) => c.notNull())
        .addColumn('last_contribution_month', 'text')
        .addColumn('monthly_pension', 'double precision')
        .execute();
    },
  },
};
