/**
 * The access log in SQL (the platform's own database: embedded SQLite or a PostgreSQL schema).
 * Records are appended in groups, each group one transaction that extends the hash chain under
 * a lock on the chain head, so replicas sharing PostgreSQL keep one chain.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Database } from '../../lib/db.ts';
import { migrate } from '../../subgraphs/runtime/migrate.ts';
import type { AccessRecord } from './access-record.ts';
import { GENESIS_HASH, chainHash } from './hash-chain.ts';

interface AccessLogTable {
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

const migrations: Record<string, Migration> = {
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
};

export interface StoredRecord {
  seq: number;
  record: AccessRecord;
  hash: string;
}

export type VerifyResult =
  { ok: true; checked: number } | { ok: false; checked: number; brokenAt: number; reason: string };

function prepareStatements(sqlite: NonNullable<Database<AuditTables>['sqlite']>) {
  return {
    head: sqlite.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
    log: sqlite.prepare(
      'INSERT INTO access_log (seq, at, dept, review, record, prev_hash, hash) VALUES (@seq, @at, @dept, @review, @record, @prev_hash, @hash)',
    ),
    subject: sqlite.prepare(
      'INSERT INTO access_subjects (seq, subject, categories) VALUES (@seq, @subject, @categories)',
    ),
    update: sqlite.prepare('UPDATE audit_head SET seq = @seq, hash = @hash WHERE id = 1'),
  };
}

export class AuditLog {
  constructor(
    readonly database: Database<AuditTables>,
    /** Field coordinate → data category, for the citizen view and the subject index. */
    private readonly categoryOf: (field: string) => string | undefined,
  ) {}

  static async open(
    database: Database<AuditTables>,
    categoryOf: (field: string) => string | undefined,
  ) {
    await migrate(database, migrations);
    return new AuditLog(database, categoryOf);
  }

  private get db() {
    return this.database.db;
  }

  /** The rows a group adds after `head`: both write paths store exactly these. */
  private chain(head: { seq: number; hash: string }, records: readonly AccessRecord[]) {
    let seq = Number(head.seq);
    let hash = head.hash;
    const rows: AccessLogTable[] = [];
    const subjects: AuditTables['access_subjects'][] = [];
    for (const record of records) {
      seq += 1;
      const text = JSON.stringify(record);
      const next = chainHash(hash, seq, text);
      rows.push({
        seq,
        at: record.at,
        dept: record.dept,
        review: record.review ? 1 : 0,
        record: text,
        prev_hash: hash,
        hash: next,
      });
      const touched = new Set([...Object.keys(record.subjects), ...Object.keys(record.categories)]);
      for (const subject of touched) {
        const fromFields = (record.subjects[subject] ?? []).map(this.categoryOf);
        const all = [...fromFields, ...(record.categories[subject] ?? [])];
        const categories = [...new Set(all.filter((c): c is string => !!c))].sort();
        subjects.push({ seq, subject, categories: JSON.stringify(categories) });
      }
      hash = next;
    }
    return { rows, subjects, head: { seq, hash } };
  }

  /** Appends records in one transaction, extending the chain; returns their sequence numbers. */
  async append(records: readonly AccessRecord[]): Promise<number[]> {
    if (records.length === 0) return [];
    if (this.database.sqlite) return this.appendEmbedded(this.database.sqlite, records);
    return this.db.transaction().execute(async (trx) => {
      // Replicas sharing PostgreSQL append one group at a time, in chain order.
      const head = await trx
        .selectFrom('audit_head')
        .selectAll()
        .where('id', '=', 1)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const group = this.chain(head, records);
      for (let i = 0; i < group.rows.length; i += 500) {
        await trx
          .insertInto('access_log')
          .values(group.rows.slice(i, i + 500))
          .execute();
      }
      for (let i = 0; i < group.subjects.length; i += 2000) {
        await trx
          .insertInto('access_subjects')
          .values(group.subjects.slice(i, i + 2000))
          .execute();
      }
      await trx.updateTable('audit_head').set(group.head).where('id', '=', 1).execute();
      return group.rows.map((r) => r.seq);
    });
  }

  private statements: ReturnType<typeof prepareStatements> | undefined;

  /**
   * The embedded log's append: the same rows, with statements prepared once and one synchronous
   * transaction. Per group, Kysely's per-statement work was most of the audit's cost (measured
   * in docs/performance.md); this is the only write that bypasses it.
   */
  private appendEmbedded(
    sqlite: NonNullable<Database<AuditTables>['sqlite']>,
    records: readonly AccessRecord[],
  ): number[] {
    const s = (this.statements ??= prepareStatements(sqlite));
    return sqlite.transaction(() => {
      const group = this.chain(s.head.get() as { seq: number; hash: string }, records);
      for (const row of group.rows) s.log.run(row);
      for (const subject of group.subjects) s.subject.run(subject);
      s.update.run(group.head);
      return group.rows.map((r) => r.seq);
    })();
  }

  /** Recomputes the chain from the start; names the first record that does not check out. */
  async verify(pageSize = 5000): Promise<VerifyResult> {
    let previous = GENESIS_HASH;
    let expected = 1;
    let checked = 0;
    for (;;) {
      const page = await this.db
        .selectFrom('access_log')
        .selectAll()
        .where('seq', '>=', expected)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const row of page) {
        const seq = Number(row.seq);
        if (seq !== expected)
          return { ok: false, checked, brokenAt: expected, reason: 'record missing' };
        let record: AccessRecord;
        try {
          record = JSON.parse(row.record) as AccessRecord;
        } catch {
          return { ok: false, checked, brokenAt: seq, reason: 'record is not valid JSON' };
        }
        if (row.prev_hash !== previous)
          return { ok: false, checked, brokenAt: seq, reason: 'previous hash does not match' };
        if (chainHash(previous, seq, row.record) !== row.hash)
          return { ok: false, checked, brokenAt: seq, reason: 'hash does not match the record' };
        if (
          row.at !== record.at ||
          row.dept !== record.dept ||
          Number(row.review) !== (record.review ? 1 : 0)
        ) {
          return {
            ok: false,
            checked,
            brokenAt: seq,
            reason: 'indexed columns differ from the record',
          };
        }
        previous = row.hash;
        expected = seq + 1;
        checked += 1;
      }
      if (page.length < pageSize) break;
    }
    const head = await this.db
      .selectFrom('audit_head')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirst();
    if (head && (Number(head.seq) !== expected - 1 || head.hash !== previous)) {
      return {
        ok: false,
        checked,
        brokenAt: Number(head.seq),
        reason: 'records after the last one were removed',
      };
    }
    return { ok: true, checked };
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('access_log')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
