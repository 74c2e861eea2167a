/**
 * The subject index behind the citizen view and auditors' search by subject, on both drivers
 * (PostgreSQL's subject rows, embedded SQLite's FTS5 table): each record is found by exactly the
 * subjects it touched, with the categories it used for each, page after page; keys that differ
 * only in case, or hold characters the index's query syntax gives meaning to, find only their own.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../gateway/audit/access-record.ts';
import { AuditLog, type AuditTables } from '../../gateway/audit/audit-log.ts';
import { AuditQueries } from '../../gateway/audit/audit-queries.ts';
import { categoriesOf, embeddedRow, termOf } from '../../gateway/audit/subject-index.ts';
import { dropPostgresSchema, openDatabase, type Database } from '../../lib/db.ts';
import { accessRecord } from '../helpers/access-record.ts';
import { postgresUrl } from '../helpers/services.ts';

const PERSON = '11010519491231002X';
const LOWER = '11010519491231002x';
const ODD = 'a"b c:*) OR x';
const HOUSEHOLD = '440103100000001';

const CATEGORY: Record<string, string> = {
  'Person.name': 'identity',
  'Person.medicalExpenses': 'medical',
  'Household.address': 'housing',
};

/** A batch-like record: the household, the person, and others, in three field lists. */
const visit = (i: number, extra: AccessRecord['subjects'] = {}): AccessRecord =>
  accessRecord({
    requestId: `visit-${i}`,
    subjects: {
      [`household:${HOUSEHOLD}`]: ['Household.address'],
      [`person:${PERSON}`]: ['Person.name', 'Person.medicalExpenses'],
      [`person:4401031954090${String(i).padStart(5, '0')}`]: ['Person.name'],
      ...extra,
    },
    categories: { [`household:${HOUSEHOLD}`]: ['assistance'] },
  });

describe('embedded subject index rows', () => {
  it('makes every subject key one term of letters, digits, colons and escapes, distinct keys distinct', () => {
    const keys = [
      'person:1',
      'person:a b',
      'person:a_b',
      'person:a_000020b',
      `person:${ODD}`,
      'person:名',
    ];
    const terms = keys.map(termOf);
    for (const term of terms) expect(term).toMatch(/^[A-Za-z0-9:_]+$/);
    expect(new Set(terms).size).toBe(keys.length);
    expect(termOf('person:440103195409062434')).toBe('person:440103195409062434');
  });

  it('keeps each subject categories in runs and reads back any one', () => {
    const entry = {
      seq: 7,
      subjects: ['household:1', 'person:1', 'person:2', 'person:3'],
      categories: ['["housing"]', '["identity"]', '["identity"]', '["identity","medical"]'],
    };
    const [seq, terms, runs] = embeddedRow(entry);
    expect(seq).toBe(7);
    expect(JSON.parse(runs)).toEqual([
      [1, 'housing'],
      [2, 'identity'],
      [1, 'identity', 'medical'],
    ]);
    expect(entry.subjects.map((s) => categoriesOf(terms, runs, termOf(s)))).toEqual([
      ['housing'],
      ['identity'],
      ['identity'],
      ['identity', 'medical'],
    ]);
    expect(categoriesOf(terms, runs, 'person:4')).toBeNull();
    expect(categoriesOf(terms, runs, 'person:')).toBeNull();
  });
});

function indexSuite(databaseUrl: string | undefined) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gd-subject-index-'));
  const name = `subjects_${randomUUID().slice(0, 8)}_platform`;
  let database: Database<AuditTables>;
  let log: AuditLog;
  let queries: AuditQueries;

  beforeAll(async () => {
    database = await openDatabase<AuditTables>({ name, dataDir, databaseUrl });
    log = await AuditLog.open(database, (field) => CATEGORY[field]);
    queries = new AuditQueries(log);
    // 25 visits in groups of 5, then one record each for the look-alike keys.
    for (let i = 0; i < 25; i += 5) {
      await log.append(Array.from({ length: 5 }, (_, k) => visit(i + k)));
    }
    await log.append([
      accessRecord({ requestId: 'lower', subjects: { [`person:${LOWER}`]: ['Person.name'] } }),
      accessRecord({ requestId: 'odd', subjects: { [`person:${ODD}`]: ['Person.name'] } }),
    ]);
  });
  afterAll(async () => {
    await log.close();
    await database.close();
    if (databaseUrl) await dropPostgresSchema(databaseUrl, name);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pages through every record that touched a person, newest first, with its categories', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page = await queries.forPerson(PERSON, 7, before);
      for (const item of page.items) {
        seen.push(item.record.requestId);
        expect(item.categories).toEqual(['identity', 'medical']);
      }
      before = page.endCursor;
    } while (before);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `visit-${24 - i}`));
  });

  it('keeps a record categories per subject: fields and the resolvers own', async () => {
    const other = await queries.forPerson('440103195409000003');
    expect(other.items.map((i) => [i.record.requestId, i.categories])).toEqual([
      ['visit-3', ['identity']],
    ]);
    const search = await queries.search({ subject: HOUSEHOLD }, 30);
    expect(search.items).toHaveLength(25);
    expect(search.endCursor).toBeNull();
  });

  it('finds only their own records for keys that differ in case or hold query syntax', async () => {
    const lower = await queries.forPerson(LOWER);
    expect(lower.items.map((i) => i.record.requestId)).toEqual(['lower']);
    const odd = await queries.forPerson(ODD);
    expect(odd.items.map((i) => [i.record.requestId, i.categories])).toEqual([
      ['odd', ['identity']],
    ]);
    const upper = await queries.search({ subject: PERSON }, 200);
    expect(upper.items.map((r) => r.requestId)).not.toContain('lower');
    expect(upper.items).toHaveLength(25);
    expect((await queries.forPerson('110105194912310000')).items).toEqual([]);
  });
}

describe('the subject index on embedded SQLite', () => indexSuite(undefined));
describe.skipIf(!postgresUrl)('the subject index on PostgreSQL', () => indexSuite(postgresUrl));
