/** Civil affairs' tables: one row per determination (decision on an application) and its members. */
import type { Migration } from 'kysely';

export type Program =
  'DIBAO' | 'TEKUN' | 'LOW_INCOME' | 'EXPENDITURE_POVERTY' | 'TEMPORARY_ASSISTANCE';
export type Decision = 'APPROVED' | 'REJECTED' | 'TERMINATED' | 'SUSPENDED';

export interface DeterminationRow {
  id: string;
  household_id: string;
  case_id: string;
  program: Program;
  decision: Decision;
  decided_on: string;
  effective_from: string;
  effective_to: string | null;
  monthly_amount: number | null;
  review_cycle_months: number | null;
  next_review_on: string | null;
  covered_members: number;
  /** County code: where the case is handled. */
  region: string;
  created_at: string;
  /** Monotonic insertion order, the cursor a change feed can page by. */
  sequence: number;
}

export interface DeterminationMemberRow {
  determination_id: string;
  person_id: string;
}

export interface AssistanceDB {
  determinations: DeterminationRow;
  determination_members: DeterminationMemberRow;
}

export const migrations: Record<string, Migration> = {
  '0001_determinations': {
    async up(db) {
      await db.schema
        .createTable('determinations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('program', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('decided_on', 'text', (c) => c.notNull())
        .addColumn('effective_from', 'text', (c) => c.notNull())
        .addColumn('effective_to', 'text')
        .addColumn('monthly_amount', 'double precision')
        .addColumn('review_cycle_months', 'integer')
        .addColumn('next_review_on', 'text')
        .addColumn('covered_members', 'integer', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('determinations_household')
        .on('determinations')
        .columns(['household_id', 'decided_on'])
        .execute();
      await db.schema
        .createIndex('determinations_case')
        .on('determinations')
        .column('case_id')
        .execute();
      await db.schema
        .createIndex('determinations_sequence')
        .unique()
        .on('determinations')
        .column('sequence')
        .execute();
      await db.schema
        .createTable('determination_members')
        .addColumn('determination_id', 'text', (c) =>
          c.notNull().references('determinations.id').onDelete('cascade'),
        )
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('determination_members_pk', ['determination_id', 'person_id'])
        .execute();
      await db.schema
        .createIndex('determination_members_person')
        .on('determination_members')
        .column('person_id')
        .execute();
    },
  },
};
