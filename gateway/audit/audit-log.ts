/**
 * The access log in SQL (the platform's own database: embedded SQLite or a PostgreSQL schema).
 * Records are appended in groups, each group one transaction that extends the hash chain from
 * its head, so replicas sharing PostgreSQL keep one chain.
 */
import { sql } from 'kysely';
import { SQLITE_PRAGMAS, type Database } from '../../lib/db.ts';
import { migrate } from '../../subgraphs/runtime/migrate.ts';
import type { AccessRecord, RecordToAppend } from './access-record.ts';
import { auditMigrations, type AccessLogTable, type AuditTables } from './audit-tables.ts';
import { GENESIS_HASH, chainHash } from './hash-chain.ts';
import { EmbeddedWriter, type ChainHead } from './embedded-writer.ts';
import { decodeRecord, encodeRecord } from './stored-record.ts';
import { embeddedRow, postgresRows, subjectEntry, type SubjectEntry } from './subject-index.ts';

export type { AuditTables } from './audit-tables.ts';

/**
 * The most pages (4 KiB each: 40 MiB) the embedded log's write-ahead log holds before the
 * writer thread's connection (embedded-writer.ts) checkpoints it in a commit; SQLite's default is
 * 1,000. The checkpointer thread (checkpointer.ts) keeps the WAL below this; it is the bound if
 * that thread stops. At the default, a checkpoint ran inside every tenth batch review's commit
 * (each then dirtied a hundred random pages of the subject index, before it became an FTS5
 * table) and wrote again pages the next ones dirtied anew.
 */
export const EMBEDDED_CHECKPOINT_PAGES = 10_000;

/** Each lost race means another replica appended: progress, so a generous bound. */
const HEAD_RACE_ATTEMPTS = 100;

/**
 * The PostgreSQL append (see `appendShared`), a named statement: the server parses and plans it
 * once per connection instead of once per group. $1/$2 the new head, $3/$4 the head it must
 * still be at, $5/$6 the rows as JSON.
 */
const APPEND_SHARED = `
  WITH head AS (
    UPDATE audit_head SET seq = $1, hash = $2
    WHERE id = 1 AND seq = $3 AND hash = $4
    RETURNING 1
  ), log AS (
    INSERT INTO access_log (seq, at, dept, review, record, prev_hash, hash)
    SELECT seq, at, dept, review, record, prev_hash, hash
    FROM json_populate_recordset(NULL::access_log, $5::json)
    WHERE EXISTS (SELECT 1 FROM head)
  ), subjects AS (
    INSERT INTO access_subjects (seq, subject, categories)
    SELECT seq, subject, categories
    FROM json_populate_recordset(NULL::access_subjects, $6::json)
    WHERE EXISTS (SELECT 1 FROM head)
  )
  SELECT count(*)::int AS moved FROM head`;

export interface StoredRecord {
  seq: number;
  record: AccessRecord;
  hash: string;
}

/** The rows a group adds to the log, chained from a head, and the head they end at. */
interface ChainedGroup {
  rows: AccessLogTable[];
  /** Per record, for the subject index (subject-index.ts). */
  subjects: SubjectEntry[];
  head: ChainHead;
}

/**
 * Stores a group if the log's head is still `from`: 'stored'; otherwise nothing, and the head
 * found there, or 'moved' when the store cannot tell it.
 */
type GroupStore = (from: ChainHead, group: ChainedGroup) => Promise<'stored' | 'moved' | ChainHead>;
type StoreOutcome = Awaited<ReturnType<GroupStore>>;

export type VerifyResult =
  { ok: true; checked: number } | { ok: false; checked: number; brokenAt: number; reason: string };

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
    await migrate(database, auditMigrations);
    database.sqlite?.pragma(`wal_autocheckpoint = ${EMBEDDED_CHECKPOINT_PAGES}`);
    return new AuditLog(database, categoryOf);
  }

  private get db() {
    return this.database.db;
  }

  /** The rows a group adds after `head`: both write paths store exactly these. */
  private chain(head: ChainHead, records: readonly RecordToAppend[]): ChainedGroup {
    let seq = Number(head.seq);
    let hash = head.hash;
    const rows: AccessLogTable[] = [];
    const subjects: SubjectEntry[] = [];
    for (const record of records) {
      seq += 1;
      const { text, groups } = encodeRecord(record);
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
      subjects.push(subjectEntry(seq, groups, record.categories, this.categoryOf));
      hash = next;
    }
    return { rows, subjects, head: { seq, hash } };
  }

  /** Appends records in one transaction, extending the chain; returns their sequence numbers. */
  async append(records: readonly RecordToAppend[]): Promise<number[]> {
    if (records.length === 0) return [];
    const sqlite = this.database.sqlite;
    const store = sqlite ? this.embeddedStore(sqlite) : this.sharedStore();
    for (let attempt = 0; attempt < HEAD_RACE_ATTEMPTS; attempt++) {
      const head = (this.knownHead ??= await this.readHead());
      const group = this.chain(head, records);
      let outcome: StoreOutcome;
      try {
        outcome = await store(head, group);
      } catch (error) {
        // Committed or not is unknown (a connection or the thread lost mid-way): read the head
        // again next time.
        this.knownHead = undefined;
        // A refused connection reaches no pool event: the database hears of the outage here.
        this.database.statementFailed(error);
        throw error;
      }
      if (outcome === 'stored') {
        this.knownHead = group.head;
        return group.rows.map((r) => r.seq);
      }
      // Another writer (a replica, another process on the file) moved the head: chain again.
      this.knownHead = outcome === 'moved' ? undefined : outcome;
    }
    throw new Error('the access log head kept moving: too many writers racing for it');
  }

  /** The chain head as this process last wrote or read it (another writer may have moved it). */
  private knownHead: ChainHead | undefined;

  /**
   * The PostgreSQL store: one statement per group, committed on its own, that moves the chain
   * head only if it is still where this process last saw it, and inserts the group's rows only if
   * it did. (It was four round trips, `BEGIN`, the head `FOR UPDATE`, the inserts and `COMMIT`;
   * docs/performance.md.) The rows travel as two JSON parameters: a VALUES list of hundreds of
   * parameters costs more to build and to parse than the inserts themselves.
   */
  private sharedStore(): GroupStore {
    const pool = this.database.postgres;
    if (!pool) throw new Error('the shared access log needs its PostgreSQL pool');
    return async (from, group) => {
      const { rows } = await pool.query<{ moved: number }>({
        name: 'access_log_append',
        text: APPEND_SHARED,
        values: [
          group.head.seq,
          group.head.hash,
          from.seq,
          from.hash,
          JSON.stringify(group.rows),
          JSON.stringify(postgresRows(group.subjects)),
        ],
      });
      return Number(rows[0]?.moved) === 1 ? 'stored' : 'moved';
    };
  }

  private async readHead(): Promise<ChainHead> {
    const head = await this.db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: Number(head.seq), hash: head.hash };
  }

  /** The embedded log's writer thread (started on the first append). */
  private writer: EmbeddedWriter | undefined;

  /**
   * The embedded store: the writer thread (embedded-writer.ts) stores the group only if the head
   * is still the one it was chained from, and otherwise answers with the head it found.
   */
  private embeddedStore(sqlite: NonNullable<Database<AuditTables>['sqlite']>): GroupStore {
    // The thread has a connection of its own: a log whose database was closed takes no more.
    if (!sqlite.open) throw new Error('the access log is closed');
    const writer = (this.writer ??= new EmbeddedWriter({
      file: sqlite.name,
      pragmas: [...SQLITE_PRAGMAS, `wal_autocheckpoint = ${EMBEDDED_CHECKPOINT_PAGES}`],
    }));
    return async (from, group) => {
      // Flat [seq, subjects, categories, ...]: three values per record to copy to the thread (none
      // for a record that touched no one, a rejected request's).
      const subjects = group.subjects.flatMap((e) => (e.subjects.length ? embeddedRow(e) : []));
      const result = await writer.store({ from, to: group.head, rows: group.rows, subjects });
      return result ? { seq: Number(result.moved.seq), hash: result.moved.hash } : 'stored';
    };
  }

  /** Stops the embedded log's writer thread; call after the last append (the group commit's flush). */
  async close(): Promise<void> {
    await this.writer?.close();
    this.writer = undefined;
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
          record = decodeRecord(row.record);
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
