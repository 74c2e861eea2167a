/**
 * A log written before the grouped record format, the review-queue index and the embedded FTS5
 * subject index: opening it with this version migrates it, and its old records still verify, read
 * back, are found by subject with their categories, and chain on.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../gateway/audit/access-record.ts';
import { AuditLog, type AuditTables } from '../../gateway/audit/audit-log.ts';
import { AuditQueries } from '../../gateway/audit/audit-queries.ts';
import { auditMigrations } from '../../gateway/audit/audit-tables.ts';
import { GENESIS_HASH, chainHash } from '../../gateway/audit/hash-chain.ts';
import { dropPostgresSchema, openDatabase } from '../../lib/db.ts';
import { migrate } from '../../subgraphs/runtime/migrate.ts';
import { accessRecord } from '../helpers/access-record.ts';
import { postgresUrl } from '../helpers/services.ts';

const PERSON = '440103195409062434';
const HOUSEHOLD = '440103100000001';

const record = (requestId: string, review: boolean, fields: string[]): AccessRecord =>
  accessRecord({
    requestId,
    purpose: review ? 'emergency' : 'dibao',
    reason: review ? 'flood rescue' : null,
    review,
    subjects: { [`person:${PERSON}`]: fields },
  });

function upgradeSuite(databaseUrl: string | undefined) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gd-log-upgrade-'));
  const name = `upgrade_${randomUUID().slice(0, 8)}_platform`;
  afterAll(async () => {
    if (databaseUrl) await dropPostgresSchema(databaseUrl, name);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates, verifies and reads the old records, and chains new ones after them', async () => {
    // The log as the previous version left it: its first migration only, records stored
    // subject by subject.
    const database = await openDatabase<AuditTables>({ name, dataDir, databaseUrl });
    const first = '0001_access_log';
    await migrate(database, { [first]: auditMigrations[first]! });
    const old = [
      record('old-1', true, ['Person.id', 'Person.name']),
      record('old-2', false, ['Person.id']),
    ];
    let hash = GENESIS_HASH;
    for (const [i, r] of old.entries()) {
      const seq = i + 1;
      const text = JSON.stringify(r);
      const next = chainHash(hash, seq, text);
      await database.db
        .insertInto('access_log')
        .values({
          seq,
          at: r.at,
          dept: r.dept,
          review: r.review ? 1 : 0,
          record: text,
          prev_hash: hash,
          hash: next,
        })
        .execute();
      await database.db
        .insertInto('access_subjects')
        .values([
          {
            seq,
            subject: `person:${PERSON}`,
            categories: `["identity"${seq === 1 ? ',"medical"' : ''}]`,
          },
          { seq, subject: `household:${HOUSEHOLD}`, categories: '["assistance"]' },
        ])
        .execute();
      hash = next;
    }
    await database.db.updateTable('audit_head').set({ seq: 2, hash }).where('id', '=', 1).execute();

    const log = await AuditLog.open(database, () => 'identity');
    await log.append([record('new-1', true, ['Person.id'])]);
    expect(await log.verify()).toEqual({ ok: true, checked: 3 });

    const queries = new AuditQueries(log);
    const seen = await queries.forPerson(PERSON);
    expect(seen.items.map((i) => i.record.requestId)).toEqual(['new-1', 'old-2', 'old-1']);
    expect(seen.items.at(-1)!.record.subjects).toEqual({
      [`person:${PERSON}`]: ['Person.id', 'Person.name'],
    });
    // The subject index moved with its categories (on SQLite into its FTS5 table, subject-index.ts).
    expect(seen.items.map((i) => i.categories)).toEqual([
      ['identity'],
      ['identity'],
      ['identity', 'medical'],
    ]);
    const household = await queries.search({ subject: HOUSEHOLD });
    expect(household.items.map((r) => r.requestId)).toEqual(['old-2', 'old-1']);
    if (!databaseUrl) {
      const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master
        WHERE name IN ('access_subjects', 'access_subject_index')`.execute(database.db);
      expect(tables.rows.map((t) => t.name)).toEqual(['access_subject_index']);
    }
    const queue = await queries.emergencies(false);
    expect(queue.items.map((r) => r.requestId)).toEqual(['new-1', 'old-1']);
    await database.close();
  });
}

describe('an access log from the previous version, on embedded SQLite', () =>
  upgradeSuite(undefined));
describe.skipIf(!postgresUrl)('an access log from the previous version, on PostgreSQL', () =>
  upgradeSuite(postgresUrl),
);
