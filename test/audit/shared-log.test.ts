/**
 * Replicas sharing one PostgreSQL access log: each appends on its own, and the chain must stay
 * one chain, with every record, whoever wins each race for the head.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../gateway/audit/access-record.ts';
import { AuditLog, type AuditTables } from '../../gateway/audit/audit-log.ts';
import { dropPostgresSchema, openDatabase, type Database } from '../../lib/db.ts';
import { accessRecord } from '../helpers/access-record.ts';
import { postgresUrl } from '../helpers/services.ts';

const record = (replica: string, i: number): AccessRecord =>
  accessRecord({
    at: new Date().toISOString(),
    requestId: `${replica}-${i}`,
    client: replica,
    subjects: { [`person:4401031954090${String(i).padStart(5, '0')}`]: ['Person.id'] },
  });

describe.skipIf(!postgresUrl)('a PostgreSQL access log shared by two replicas', () => {
  const name = `shared_log_${randomUUID().slice(0, 8)}_platform`;
  const databases: Database<AuditTables>[] = [];
  const logs: AuditLog[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const database = await openDatabase<AuditTables>({
        name,
        dataDir: '/nonexistent',
        databaseUrl: postgresUrl,
      });
      databases.push(database);
      logs.push(await AuditLog.open(database, () => 'identity'));
    }
  });
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.close()));
    await dropPostgresSchema(postgresUrl!, name);
  });

  it('keeps one verifiable chain holding every record when both append at once', async () => {
    const [a, b] = logs as [AuditLog, AuditLog];
    const appended = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => a.append([record('a', i), record('a', 100 + i)])),
      ...Array.from({ length: 40 }, (_, i) => b.append([record('b', i)])),
    ]);
    const seqs = appended.flat().sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(await a.verify()).toEqual({ ok: true, checked: 120 });
    expect(await b.count()).toBe(120);
    const subjects = await databases[0]!.db
      .selectFrom('access_subjects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(subjects.n)).toBe(120);
  });
});
