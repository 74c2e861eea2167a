/** The access log's tables (the platform's database) and their migrations. */
import { sql, type Kysely, type Migration } from 'kysely';
import { GENESIS_HASH } from './hash-chain.ts';

export interface AccessLogTable {
  seq: number;
  at: string;
  dept: string | null;
  review: number;
  record: string;
  prev_hash: string;
  hash: string;
}

export interface AuditTables {
  access_log: AccessLogTable;
  access_subjects: { seq: number; subject: string; categories: string };
  audit_head: { id: number; seq: number; hash: string };
  emergency_reviews: {
    seq: number;
    verdict: string;
    note: string;
    reviewer: string;
    reviewed_at: string;
  };
}

export const auditMigrations: Record<string, Migration> = {
  '0001_access_log': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('access_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('dept', 'text')
        .addColumn('review', 'integer', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('access_log_dept')
        .on('access_log')
        .columns(['dept', 'seq'])
        .execute();
      await db.schema
        .createIndex('access_log_review')
        .on('access_log')
        .columns(['review', 'seq'])
        .execute();
      await db.schema
        .createTable('access_subjects')
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('access_subjects_subject')
        .on('access_subjects')
        .columns(['subject', 'seq'])
        .execute();
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db
        .insertInto('audit_head' as never)
        .values({ id: 1, seq: 0, hash: GENESIS_HASH } as never)
        .execute();
      await db.schema
        .createTable('emergency_reviews')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('reviewer', 'text', (c) => c.notNull())
        .addColumn('reviewed_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  /**
   * The review queue holds emergency accesses only: a partial index on them, instead of an index
   * over every record that each append had to extend (one page fewer written per record).
   */
  '0002_review_queue_index': {
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('access_log_review').execute();
      await db.schema
        .createIndex('access_log_review_queue')
        .on('access_log')
        .column('seq')
        .where(sql.ref('review'), '=', 1)
        .execute();
    },
  },
};
