/**
 * The subject index: which records touched a person or household, and the data categories each
 * record used for them (the citizen view, and auditors' search by subject).
 *
 * The one place the two drivers store the log differently (docs/sharing-and-audit.md):
 * - PostgreSQL keeps a row per subject and record (`access_subjects`) under a B-tree index; the
 *   database server does that work, off the gateway's machine in a deployment.
 * - Embedded SQLite keeps a row per record in an FTS5 table (`access_subject_index`): the record's
 *   subjects as one document of terms, and their categories beside it. A B-tree row per subject
 *   put each of a batch review's hundred subjects on a random page of the index, and every
 *   commit wrote each of those pages out (most of a batch review's audit cost, docs/performance.md);
 *   FTS5 is SQLite's log-structured index: a commit writes one small sorted segment and merges
 *   are amortized, so the cost no longer grows with the log.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { TouchedGroup } from '../../schema/access-report.ts';

/** One record's subjects and, aligned with them, each one's categories (a sorted JSON list). */
export interface SubjectEntry {
  seq: number;
  subjects: string[];
  categories: string[];
}

/**
 * A record's entry: each subject in its groups' order, with the categories of the fields it was
 * shown and those a resolver used for it directly; worked out once per field list.
 */
export function subjectEntry(
  seq: number,
  groups: readonly TouchedGroup[],
  directCategories: Readonly<Record<string, string[]>>,
  categoryOf: (field: string) => string | undefined,
): SubjectEntry {
  const entry: SubjectEntry = { seq, subjects: [], categories: [] };
  const direct = new Map(Object.entries(directCategories));
  for (const group of groups) {
    const fromFields = group.fields.map(categoryOf);
    const shared = categoryList(fromFields);
    for (const subject of group.subjects) {
      const own = direct.get(subject);
      entry.subjects.push(subject);
      entry.categories.push(own ? categoryList(fromFields, own) : shared);
      direct.delete(subject);
    }
  }
  for (const [subject, categories] of direct) {
    entry.subjects.push(subject);
    entry.categories.push(categoryList([], categories));
  }
  return entry;
}

/** A subject's categories: sorted, distinct, JSON. */
function categoryList(fromFields: (string | undefined)[], direct: string[] = []): string {
  const all = new Set<string>();
  for (const c of fromFields) if (c) all.add(c);
  for (const c of direct) all.add(c);
  return JSON.stringify([...all].sort());
}

/** PostgreSQL's rows (`access_subjects`): one per subject and record. */
export function postgresRows(
  entries: readonly SubjectEntry[],
): { seq: number; subject: string; categories: string }[] {
  const rows: { seq: number; subject: string; categories: string }[] = [];
  for (const { seq, subjects, categories } of entries) {
    for (const [i, subject] of subjects.entries()) {
      rows.push({ seq, subject, categories: categories[i]! });
    }
  }
  return rows;
}

/**
 * The embedded index. `detail=none`: only which records hold a term (no positions); `columnsize=0`:
 * no per-record sizes (nothing ranks). The ascii tokenizer keeps `:` and `_` inside terms, and
 * `termOf` leaves only those, letters and digits, so each subject is exactly one term. `IF NOT
 * EXISTS`: the migration that creates it may run again after a crash (audit-tables.ts).
 */
export const EMBEDDED_INDEX_DDL = `CREATE VIRTUAL TABLE IF NOT EXISTS access_subject_index USING fts5(
  subjects, categories UNINDEXED, detail = none, columnsize = 0, tokenize = "ascii tokenchars ':_'")`;

/**
 * A subject key as one term of the embedded index: every character other than an ASCII letter,
 * digit or `:` becomes `_` and six hex digits of its code point, so distinct keys stay distinct.
 * (The tokenizer folds ASCII case; queries compare the stored term exactly, see `namingSubject`.)
 */
export function termOf(subject: string): string {
  return subject.replace(
    /[^A-Za-z0-9:]/gu,
    (c) => `_${c.codePointAt(0)!.toString(16).padStart(6, '0')}`,
  );
}

/**
 * The embedded row for an entry: its terms, space-separated, and its categories as runs,
 * `[[count, ...categories], ...]` in subject order (a batch review's hundred subjects share a
 * few lists, so the runs are few).
 */
export function embeddedRow(entry: SubjectEntry): [number, string, string] {
  const runs: [number, ...string[]][] = [];
  let last: string | undefined;
  for (const categories of entry.categories) {
    if (categories === last) runs.at(-1)![0] += 1;
    else runs.push([1, ...(JSON.parse(categories) as string[])]);
    last = categories;
  }
  return [entry.seq, entry.subjects.map(termOf).join(' '), JSON.stringify(runs)];
}

/** The categories an embedded row holds for one term; null if the row does not name it. */
export function categoriesOf(terms: string, runs: string, term: string): string[] | null {
  const at = terms.split(' ').indexOf(term);
  if (at < 0) return null;
  let end = 0;
  for (const [count, ...categories] of JSON.parse(runs) as [number, ...string[]][]) {
    end += count;
    if (at < end) return categories;
  }
  return null;
}

/**
 * The embedded rows naming a subject: the index's match (a quoted term: terms hold no quotes),
 * then the exact comparison, since the tokenizer folds ASCII case (`person:…x` would otherwise
 * find `person:…X`'s records).
 */
export function namingSubject(subject: string): RawBuilder<SqlBool> {
  const term = termOf(subject);
  // The whole row's match (a column's needs positions, which detail=none does not keep).
  return sql<SqlBool>`access_subject_index MATCH ${`"${term}"`}
    AND instr(' ' || access_subject_index.subjects || ' ', ${` ${term} `}) > 0`;
}

/** The records whose embedded row names a subject: `seq IN (this)`. */
export const seqsNaming = (subject: string): RawBuilder<number> =>
  sql<number>`(SELECT rowid FROM access_subject_index WHERE ${namingSubject(subject)})`;
