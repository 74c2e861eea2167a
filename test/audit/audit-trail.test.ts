/**
 * The audit trail: one record per request whatever its outcome, with the subjects touched and the
 * fields denied but never values; a hash chain that names the first tampered record; the
 * citizen's own view; auditors' search and emergency review; and fail-closed writing.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { decodeRecord } from '../../gateway/audit/stored-record.ts';
import { issueDepartmentToken } from '../../lib/identity/dev-tokens.ts';
import { headersFor } from '../helpers/callers.ts';
import { gql, startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import { postgresUrl } from '../helpers/services.ts';
import { storyOf, withConsent, type Story } from '../helpers/story.ts';

const HOUSEHOLD = `query Members($id: ID!) { household(id: $id) { address members { id name birthDate } } }`;

function suite(driver: string, databaseUrl: string | undefined) {
  describe(`audit trail on ${driver}`, () => {
    let storage: TestStorage;
    let platform: RunningPlatform;
    let story: Story;
    let names: string[];

    beforeAll(async () => {
      storage = testStorage(databaseUrl);
      platform = await startTestPlatform(storage, { AUDIT_COMMIT_DELAY_MS: '50' });
      story = storyOf(platform, storage.dataDir);
      const registry = platform.departments.departments.find(
        (d) => d.definition.name === 'household',
      )!.database.db;
      names = (
        await registry
          .selectFrom('persons')
          .select('name')
          .where('household_id', '=', story.household)
          .execute()
      ).map((r: { name: string }) => r.name);
    });
    afterAll(async () => {
      await platform?.close();
      await storage?.cleanup();
    });

    const records = async () => {
      const rows = await platform.audit.log.database.db
        .selectFrom('access_log')
        .select(['seq', 'record'])
        .orderBy('seq')
        .execute();
      return rows.map((r: { seq: number; record: string }) => ({
        seq: Number(r.seq),
        ...decodeRecord(r.record),
      }));
    };

    /** One request of every outcome the log records, each with its own request id. */
    async function everyOutcome() {
      const id = (tag: string) => `audit-${tag}-${randomUUID()}`;
      const caseworker = await withConsent(story, 'civil-affairs', 'dibao');
      const requests: { tag: string; send: (requestId: string) => Promise<unknown> }[] = [
        {
          tag: 'ok',
          send: (r) =>
            gql(
              story.url,
              HOUSEHOLD,
              { id: story.household },
              { ...caseworker, 'x-request-id': r, 'x-case-id': 'MZ-CASE-0001' },
            ),
        },
        {
          tag: 'denied',
          send: async (r) =>
            gql(
              story.url,
              HOUSEHOLD,
              { id: story.household },
              {
                ...(await headersFor(story.dataDir, { dept: 'civil-affairs', purpose: 'dibao' })),
                'x-request-id': r,
              },
            ),
        },
        {
          tag: 'unauthenticated',
          send: (r) => gql(story.url, HOUSEHOLD, { id: story.household }, { 'x-request-id': r }),
        },
        {
          tag: 'no-operator',
          send: async (r) =>
            gql(
              story.url,
              HOUSEHOLD,
              { id: story.household },
              {
                ...(await headersFor(story.dataDir, {
                  dept: 'civil-affairs',
                  purpose: 'dibao',
                  operator: null,
                })),
                'x-request-id': r,
              },
            ),
        },
        {
          tag: 'no-reason',
          send: async (r) =>
            gql(
              story.url,
              HOUSEHOLD,
              { id: story.household },
              {
                ...(await headersFor(story.dataDir, {
                  dept: 'emergency-management',
                  purpose: 'emergency',
                })),
                'x-request-id': r,
              },
            ),
        },
        {
          tag: 'emergency',
          send: async (r) =>
            gql(
              story.url,
              HOUSEHOLD,
              { id: story.household },
              {
                ...(await headersFor(story.dataDir, {
                  dept: 'emergency-management',
                  purpose: 'emergency',
                  reason: 'Flood rescue: confirming who lives here',
                })),
                'x-request-id': r,
              },
            ),
        },
        {
          tag: 'parse-error',
          send: (r) => gql(story.url, '{ household(id: ', {}, { ...caseworker, 'x-request-id': r }),
        },
        {
          tag: 'bad-json',
          send: (r) =>
            fetch(story.url, {
              method: 'POST',
              headers: { ...caseworker, 'content-type': 'application/json', 'x-request-id': r },
              body: '{"query": ',
            }),
        },
        {
          tag: 'bad-input',
          send: (r) =>
            gql(story.url, HOUSEHOLD, { id: '123' }, { ...caseworker, 'x-request-id': r }),
        },
      ];
      return requests.map((r) => ({ ...r, requestId: id(r.tag) }));
    }

    it('writes exactly one record per request, of every outcome, with subjects and denials but no values', async () => {
      const before = (await records()).length;
      const sent = await everyOutcome();
      for (const r of sent) await r.send(r.requestId);
      const after = await records();
      expect(after.length - before).toBe(sent.length);
      const byRequest = new Map(after.slice(before).map((r: any) => [r.requestId, r]));
      const get = (tag: string) => byRequest.get(sent.find((s) => s.tag === tag)!.requestId) as any;

      const ok = get('ok');
      expect(ok).toMatchObject({
        dept: 'civil-affairs',
        purpose: 'dibao',
        operator: 'officer-001',
        caseId: 'MZ-CASE-0001',
        outcome: 'ok',
        status: 200,
        operation: 'Members',
      });
      expect(ok.consentIds).toHaveLength(1);
      expect(ok.subjects[`household:${story.household}`]).toEqual(
        expect.arrayContaining(['Household.address', 'Household.members']),
      );
      for (const member of story.members)
        expect(ok.subjects[`person:${member}`]).toEqual(
          expect.arrayContaining(['Person.birthDate', 'Person.name']),
        );
      expect(ok.documentHash).toMatch(/^[0-9a-f]{64}$/);

      const denied = get('denied');
      expect(denied.outcome).toBe('denied');
      expect(denied.denied).toContainEqual({
        field: 'Household.members',
        subject: `household:${story.household}`,
        code: 'CONSENT_REQUIRED',
      });
      expect(get('unauthenticated')).toMatchObject({
        dept: null,
        outcome: 'rejected',
        status: 401,
        errorCodes: ['UNAUTHENTICATED'],
      });
      expect(get('no-operator')).toMatchObject({
        outcome: 'rejected',
        errorCodes: ['OPERATOR_REQUIRED'],
      });
      expect(get('no-reason')).toMatchObject({
        outcome: 'rejected',
        errorCodes: ['REASON_REQUIRED'],
      });
      expect(get('emergency')).toMatchObject({
        review: true,
        reason: 'Flood rescue: confirming who lives here',
        outcome: 'ok',
      });
      expect(get('parse-error')).toMatchObject({
        outcome: 'rejected',
        errorCodes: ['GRAPHQL_PARSE_FAILED'],
      });
      expect(get('bad-json')).toMatchObject({
        outcome: 'rejected',
        errorCodes: ['BAD_USER_INPUT'],
        status: 400,
      });
      expect(get('bad-input').errorCodes).toEqual(['BAD_USER_INPUT']);

      const text = JSON.stringify(after);
      for (const name of names) expect(text).not.toContain(name);
      expect(text).not.toContain('Bearer');
    });

    it('records requests of every outcome sent at once, in shared commits, waiting for none after', async () => {
      const groups = async () =>
        Number(
          /^gateway_audit_group_records_count (\d+)$/m.exec(
            await (await fetch(new URL('/metrics', story.url))).text(),
          )?.[1],
        );
      const [before, groupsBefore] = [(await records()).length, await groups()];
      const sent = await everyOutcome();
      await Promise.all(sent.map((r) => r.send(r.requestId)));
      const after = (await records()).slice(before);
      expect(after.map((r: any) => r.requestId).sort()).toEqual(
        sent.map((r) => r.requestId).sort(),
      );
      // The commit delay (50 ms here) let the rejections that end at once share commits.
      expect((await groups()) - groupsBefore).toBeLessThan(sent.length);
      // Every request, the refused ones too, handed in its record or gave its place back: a
      // place never given back would hold every later group for the whole delay.
      expect(platform.audit.writer.running).toBe(0);
      expect(await platform.audit.log.verify()).toEqual({ ok: true, checked: expect.any(Number) });
    });

    it('shows citizens who accessed their data and why, and nothing about anyone else', async () => {
      const member = story.members[0]!;
      await gql(
        story.url,
        HOUSEHOLD,
        { id: story.household },
        { ...(await withConsent(story, 'civil-affairs', 'dibao')), 'x-case-id': 'MZ-CITIZEN-0042' },
      );
      const citizen = {
        authorization: `Bearer ${await issueDepartmentToken(story.dataDir, { dept: 'citizen', sub: member })}`,
      };
      const { body } = await gql(
        story.url,
        `{ myDataAccess(first: 50) { entries { at department departmentName purpose categories caseId emergencyReason } endCursor } }`,
        {},
        citizen,
      );
      expect(body.errors).toBeUndefined();
      const entries = body.data.myDataAccess.entries;
      const visit = entries.find((e: any) => e.caseId === 'MZ-CITIZEN-0042');
      expect(visit).toMatchObject({ department: 'civil-affairs', purpose: 'dibao' });
      expect(visit.categories).toEqual(['identity']);
      expect(
        entries.some((e: any) => e.emergencyReason === 'Flood rescue: confirming who lives here'),
      ).toBe(true);

      const stranger = {
        authorization: `Bearer ${await issueDepartmentToken(story.dataDir, { dept: 'citizen', sub: '11010519491231002X' })}`,
      };
      const none = await gql(story.url, `{ myDataAccess { entries { caseId } } }`, {}, stranger);
      expect(none.body.data.myDataAccess.entries).toEqual([]);
      const snoop = await gql(story.url, `{ accessRecords { records { seq } } }`, {}, citizen);
      expect(snoop.body.data.accessRecords).toBeNull();
      expect(snoop.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });

    it('lets auditors search by subject and department, and review emergency access once', async () => {
      const auditor = await headersFor(story.dataDir, { dept: 'audit', operator: null });
      const search = await gql(
        story.url,
        `query($s: ID) { accessRecords(filter: { subject: $s, department: "civil-affairs" }, first: 5) { records { seq department subjects { subject fields } } endCursor } }`,
        { s: story.members[0] },
        auditor,
      );
      expect(search.body.errors).toBeUndefined();
      expect(search.body.data.accessRecords.records.length).toBeGreaterThan(0);
      for (const r of search.body.data.accessRecords.records) {
        expect(r.department).toBe('civil-affairs');
        expect(r.subjects.map((s: any) => s.subject)).toContain(`person:${story.members[0]}`);
      }
      const pending = await gql(
        story.url,
        `{ emergencyAccesses { records { seq reason department review { verdict } } } }`,
        {},
        auditor,
      );
      const emergency = pending.body.data.emergencyAccesses.records[0];
      expect(emergency).toMatchObject({
        department: 'emergency-management',
        reason: 'Flood rescue: confirming who lives here',
        review: null,
      });
      const review = `mutation($seq: ID!) { reviewEmergencyAccess(seq: $seq, verdict: JUSTIFIED, note: "Flood warning level II in force") { verdict reviewer } }`;
      const verdict = await gql(story.url, review, { seq: emergency.seq }, auditor);
      expect(verdict.body.data.reviewEmergencyAccess).toMatchObject({
        verdict: 'JUSTIFIED',
        reviewer: 'audit/audit-dev-client',
      });
      const twice = await gql(story.url, review, { seq: emergency.seq }, auditor);
      expect(twice.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const after = await gql(story.url, `{ emergencyAccesses { records { seq } } }`, {}, auditor);
      expect(after.body.data.emergencyAccesses.records.map((r: any) => r.seq)).not.toContain(
        emergency.seq,
      );
      const caseworker = await withConsent(story, 'civil-affairs', 'dibao');
      const forbidden = await gql(story.url, review, { seq: emergency.seq }, caseworker);
      expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });

    it('verifies the chain, and names the first tampered record', async () => {
      const verify = () =>
        spawnSync('npx', ['tsx', 'bin/audit-verify.ts', '--prefix', storage.databasePrefix], {
          env: {
            ...process.env,
            DATA_DIR: storage.dataDir,
            NODE_ENV: 'test',
            ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
          },
          encoding: 'utf8',
        });
      const intact = verify();
      expect(intact.status).toBe(0);
      expect(intact.stdout).toMatch(/access log intact: \d+ records/);

      const db = platform.audit.log.database.db;
      const target = await db
        .selectFrom('access_log')
        .select(['seq', 'record'])
        .where('seq', '=', 3)
        .executeTakeFirstOrThrow();
      const forged = JSON.parse(target.record);
      forged.purpose = 'statistics';
      await db
        .updateTable('access_log')
        .set({ record: JSON.stringify(forged) })
        .where('seq', '=', 3)
        .execute();
      const broken = verify();
      expect(broken.status).toBe(1);
      expect(broken.stdout).toContain('BROKEN at record 3');
      await db
        .updateTable('access_log')
        .set({ record: target.record })
        .where('seq', '=', 3)
        .execute();
      expect((await platform.audit.log.verify()).ok).toBe(true);
    });

    it('fails closed: no access record, no response', async () => {
      const caseworker = await withConsent(story, 'civil-affairs', 'dibao');
      await platform.audit.log.database.close();
      const { status, body, text } = await gql(
        story.url,
        HOUSEHOLD,
        { id: story.household },
        caseworker,
      );
      expect(status).toBe(503);
      expect(body.errors[0].extensions.code).toBe('AUDIT_UNAVAILABLE');
      expect(body.data).toBeUndefined();
      for (const name of names) expect(text).not.toContain(name);
    });
  });
}

suite('embedded SQLite', undefined);
if (postgresUrl) suite('PostgreSQL', postgresUrl);
