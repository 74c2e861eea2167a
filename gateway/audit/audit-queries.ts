/** Reading the access log: the citizen's own view, auditors' searches, emergency reviews. */
import { sql } from 'kysely';
import { badUserInput } from '../../schema/errors.ts';
import type { AccessRecord } from './access-record.ts';
import { decodeRecord } from './stored-record.ts';
import { categoriesOf, namingSubject, seqsNaming, termOf } from './subject-index.ts';
import type { AuditLog } from './audit-log.ts';

export interface Page<T> {
  items: T[];
  endCursor: string | null;
}

export interface RecordFilter {
  subject?: string | null;
  department?: string | null;
  from?: string | null;
  to?: string | null;
}

export interface StoredAccess extends AccessRecord {
  seq: number;
  hash: string;
}

export interface CitizenAccess {
  record: StoredAccess;
  categories: string[];
}

export interface Verdict {
  seq: number;
  verdict: 'JUSTIFIED' | 'UNJUSTIFIED';
  note: string;
  reviewer: string;
  reviewedAt: string;
}

const MAX_PAGE = 200;

export const encodeCursor = (seq: number) => Buffer.from(`seq:${seq}`).toString('base64url');

function decodeCursor(cursor: string | null | undefined): number | null {
  if (cursor === null || cursor === undefined) return null;
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badUserInput('The cursor is not one this API gave out', { argument: 'before' });
  return Number(match[1]);
}

function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw badUserInput(`first must be from 1 to ${MAX_PAGE}`, { argument: 'first' });
  }
  return n;
}

/** An identity number (18) or household number (15) as the log keys its subjects. */
function subjectKeyOf(id: string): string {
  if (/^\d{17}[\dX]$/.test(id)) return `person:${id}`;
  if (/^\d{15}$/.test(id)) return `household:${id}`;
  throw badUserInput('subject must be an identity number or a household number', {
    argument: 'subject',
  });
}

function isoOrNull(value: string | null | undefined, argument: string): string | null {
  if (value === null || value === undefined) return null;
  if (Number.isNaN(Date.parse(value)))
    throw badUserInput(`${argument} must be an ISO date or time`, { argument });
  return new Date(value).toISOString();
}

/** Rows fetched as limit + 1: the extra one only says that another page exists. */
function pageOf<R extends { seq: number }, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
): Page<T> {
  const kept = rows.slice(0, limit);
  return {
    items: kept.map(map),
    endCursor: rows.length > limit ? encodeCursor(Number(kept.at(-1)!.seq)) : null,
  };
}

export class AuditQueries {
  constructor(private readonly log: AuditLog) {}

  private get db() {
    return this.log.database.db;
  }

  private static stored(row: { seq: number; record: string; hash: string }): StoredAccess {
    return { ...decodeRecord(row.record), seq: Number(row.seq), hash: row.hash };
  }

  /** The accesses that touched one person's data, newest first. */
  async forPerson(
    identityNumber: string,
    first?: number | null,
    before?: string | null,
  ): Promise<Page<CitizenAccess>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(before);
    const subject = `person:${identityNumber}`;
    if (this.log.database.dialect === 'sqlite')
      return this.forSubjectEmbedded(subject, limit, cursor);
    let query = this.db
      .selectFrom('access_subjects as s')
      .innerJoin('access_log as l', 'l.seq', 's.seq')
      .select(['l.seq', 'l.record', 'l.hash', 's.categories'])
      .where('s.subject', '=', subject);
    if (cursor !== null) query = query.where('s.seq', '<', cursor);
    const rows = await query
      .orderBy('s.seq', 'desc')
      .limit(limit + 1)
      .execute();
    return pageOf(rows, limit, (row) => ({
      record: AuditQueries.stored(row),
      categories: JSON.parse(row.categories) as string[],
    }));
  }

  /** `forPerson` on the embedded log's FTS5 subject index (subject-index.ts). */
  private async forSubjectEmbedded(
    subject: string,
    limit: number,
    cursor: number | null,
  ): Promise<Page<CitizenAccess>> {
    const { rows } = await sql<{
      seq: number;
      record: string;
      hash: string;
      subjects: string;
      categories: string;
    }>`SELECT l.seq, l.record, l.hash, access_subject_index.subjects, access_subject_index.categories
      FROM access_subject_index JOIN access_log AS l ON l.seq = access_subject_index.rowid
      WHERE ${namingSubject(subject)} ${cursor === null ? sql`` : sql`AND access_subject_index.rowid < ${cursor}`}
      ORDER BY access_subject_index.rowid DESC LIMIT ${limit + 1}`.execute(this.db);
    const term = termOf(subject);
    return pageOf(rows, limit, (row) => ({
      record: AuditQueries.stored(row),
      categories: categoriesOf(row.subjects, row.categories, term) ?? [],
    }));
  }

  async search(
    filter: RecordFilter,
    first?: number | null,
    before?: string | null,
  ): Promise<Page<StoredAccess>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(before);
    const from = isoOrNull(filter.from, 'from');
    const to = isoOrNull(filter.to, 'to');
    let query = this.db.selectFrom('access_log as l').select(['l.seq', 'l.record', 'l.hash']);
    if (filter.subject) {
      const key = subjectKeyOf(filter.subject);
      query =
        this.log.database.dialect === 'sqlite'
          ? query.where('l.seq', 'in', seqsNaming(key))
          : query.where('l.seq', 'in', (eb) =>
              eb.selectFrom('access_subjects').select('seq').where('subject', '=', key),
            );
    }
    if (filter.department) query = query.where('l.dept', '=', filter.department);
    if (from) query = query.where('l.at', '>=', from);
    if (to) query = query.where('l.at', '<', to);
    if (cursor !== null) query = query.where('l.seq', '<', cursor);
    const rows = await query
      .orderBy('l.seq', 'desc')
      .limit(limit + 1)
      .execute();
    return pageOf(rows, limit, AuditQueries.stored);
  }

  async emergencies(
    pending: boolean,
    first?: number | null,
    before?: string | null,
  ): Promise<Page<StoredAccess>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(before);
    let query = this.db
      .selectFrom('access_log as l')
      .leftJoin('emergency_reviews as r', 'r.seq', 'l.seq')
      .select(['l.seq', 'l.record', 'l.hash'])
      // A literal, not a parameter, so that the partial index on the queue is usable.
      .where(sql<boolean>`l.review = 1`);
    if (pending) query = query.where('r.seq', 'is', null);
    if (cursor !== null) query = query.where('l.seq', '<', cursor);
    const rows = await query
      .orderBy('l.seq', 'desc')
      .limit(limit + 1)
      .execute();
    return pageOf(rows, limit, AuditQueries.stored);
  }

  verify() {
    return this.log.verify();
  }

  async verdicts(seqs: readonly number[]): Promise<Map<number, Verdict>> {
    if (seqs.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('emergency_reviews')
      .selectAll()
      .where('seq', 'in', seqs)
      .execute();
    return new Map(
      rows.map((r) => [
        Number(r.seq),
        {
          seq: Number(r.seq),
          verdict: r.verdict as Verdict['verdict'],
          note: r.note,
          reviewer: r.reviewer,
          reviewedAt: r.reviewed_at,
        },
      ]),
    );
  }

  async review(
    seq: number,
    verdict: Verdict['verdict'],
    note: string,
    reviewer: string,
  ): Promise<Verdict> {
    const text = note.trim();
    if (text.length < 2 || text.length > 1000)
      throw badUserInput('note must be 2 to 1000 characters', { argument: 'note' });
    const row = await this.db
      .selectFrom('access_log')
      .select(['seq', 'review'])
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!row || Number(row.review) !== 1)
      throw badUserInput('No emergency access has that seq', { argument: 'seq' });
    const reviewedAt = new Date().toISOString();
    const inserted = await this.db
      .insertInto('emergency_reviews')
      .values({ seq, verdict, note: text, reviewer, reviewed_at: reviewedAt })
      .onConflict((oc) => oc.column('seq').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      throw badUserInput('That emergency access has already been reviewed', { argument: 'seq' });
    }
    return { seq, verdict, note: text, reviewer, reviewedAt };
  }
}
