/** Civil affairs' tables: one row per determination (decision on an application) and its members. */
import { sql, type Migration } from 'kysely';

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

export type ChangeKind = 'DETERMINATION' | 'FEEDBACK';

/** The change feed: one row per record, in commit order (see writes.ts for why it holds). */
export interface ChangeRow {
  sequence: number;
  kind: ChangeKind;
  record_id: string;
  household_id: string;
  recorded_at: string;
}

/** What a department did in return for a determination (two-way feedback). */
export interface FeedbackRow {
  id: string;
  household_id: string;
  determination_id: string | null;
  department: string;
  action: string;
  amount: number | null;
  effective_on: string;
  note: string | null;
  recorded_at: string;
}

/** One row per (department, idempotency key): a retried write finds its first result here. */
export interface IdempotencyRow {
  department: string;
  idempotency_key: string;
  operation: string;
  request_hash: string;
  record_id: string;
  created_at: string;
}

export interface AssistanceDB {
  determinations: DeterminationRow;
  determination_members: DeterminationMemberRow;
  changes: ChangeRow;
  feedback: FeedbackRow;
  idempotency_keys: IdempotencyRow;
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
  '0002_feedback_and_changes': {
    async up(db) {
      await db.schema
        .createTable('changes')
        .addColumn('sequence', 'integer', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('feedback')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('determination_id', 'text')
        .addColumn('department', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('amount', 'double precision')
        .addColumn('effective_on', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('feedback_household')
        .on('feedback')
        .columns(['household_id', 'recorded_at'])
        .execute();
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('department', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['department', 'idempotency_key'])
        .execute();
      // Determinations recorded before the feed existed start it, in their original order.
      await db
        .insertInto('changes')
        .columns(['sequence', 'kind', 'record_id', 'household_id', 'recorded_at'])
        .expression(
          db
            .selectFrom('determinations')
            .select([
              'sequence',
              sql.lit('DETERMINATION').as('kind'),
              'id',
              'household_id',
              'created_at',
            ]),
        )
        .execute();
    },
  },
};
