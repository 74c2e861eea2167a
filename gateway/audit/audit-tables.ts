/** The access log's tables (the platform's database) and their migrations. */
import { sql, type Kysely, type Migration } from 'kysely';
import { usesPostgres } from '../../lib/db.ts';
import { GENESIS_HASH } from './hash-chain.ts';
import { consentRevocationsMigration } from '../revocations/revocation-ledger.ts';
import { EMBEDDED_INDEX_DDL, embeddedRow, type SubjectEntry } from './subject-index.ts';

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
  /** PostgreSQL's subject index; embedded SQLite's is `access_subject_index` (subject-index.ts). */
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
  /**
   * Embedded SQLite's subject index becomes an FTS5 table, one row per record (subject-index.ts
   * says why); the subject rows move into it, record by record, in one transaction. PostgreSQL
   * keeps its subject rows.
   */
  '0003_embedded_subject_index': {
    async up(db: Kysely<unknown>) {
      if (usesPostgres(db)) return;
      // Kysely runs SQLite's migrations outside a transaction: this one is its own, and tolerates
      // a crash between its commit and the migration's record (the table exists, the rows moved).
      await db.transaction().execute(async (trx) => {
        await sql.raw(EMBEDDED_INDEX_DDL).execute(trx);
        const old = await sql`SELECT 1 FROM sqlite_master WHERE name = 'access_subjects'`.execute(
          trx,
        );
        if (old.rows.length === 0) return;
        for await (const entry of subjectEntries(trx)) {
          const [seq, subjects, categories] = embeddedRow(entry);
          await sql`INSERT INTO access_subject_index (rowid, subjects, categories)
            VALUES (${seq}, ${subjects}, ${categories})`.execute(trx);
        }
        await sql`DROP TABLE access_subjects`.execute(trx);
      });
    },
  },
  /** Revocations, kept here and rebuilt into the shared store from here (gateway/revocations/). */
  '0004_consent_revocations': consentRevocationsMigration,
};

/** The old subject rows as entries, record by record in the order they were written. */
async function* subjectEntries(db: Kysely<unknown>): AsyncGenerator<SubjectEntry> {
  const RECORDS_PER_READ = 1000;
  const last = await sql<{
    seq: number | null;
  }>`SELECT max(seq) AS seq FROM access_subjects`.execute(db);
  const end = Number(last.rows[0]?.seq ?? 0);
  for (let from = 0; from < end; from += RECORDS_PER_READ) {
    const { rows } = await sql<{ seq: number; subject: string; categories: string }>`
      SELECT seq, subject, categories FROM access_subjects
      WHERE seq > ${from} AND seq <= ${from + RECORDS_PER_READ} ORDER BY seq, rowid`.execute(db);
    let entry: SubjectEntry | undefined;
    for (const row of rows) {
      if (entry?.seq !== row.seq) {
        if (entry) yield entry;
        entry = { seq: row.seq, subjects: [], categories: [] };
      }
      entry.subjects.push(row.subject);
      entry.categories.push(row.categories);
    }
    if (entry) yield entry;
  }
}
