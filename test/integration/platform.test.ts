/**
 * The platform end to end: one query reads a household across all six departments through the
 * gateway, with one SQL query per entity type per department, and both SQL drivers give the same
 * answer for the same seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { HOUSEHOLD_QUERY } from '../../gateway/sample-query.ts';
import { consentFor, headersFor } from '../helpers/callers.ts';
import { postgresUrl } from '../helpers/services.ts';
import { gql, startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';

/** A caseworker reviewing a tekun case: every category but statistics, with the household's consent. */
async function reviewer(platform: RunningPlatform, dataDir: string, household: string) {
  const registry = platform.departments.departments.find((d) => d.definition.name === 'household')!
    .database.db;
  const members = await registry
    .selectFrom('persons')
    .select('id')
    .where('household_id', '=', household)
    .execute();
  const consent = await consentFor(dataDir, {
    household,
    subjects: members.map((m: { id: string }) => m.id),
    grantees: ['civil-affairs'],
    purpose: 'tekun',
  });
  return headersFor(dataDir, { dept: 'civil-affairs', purpose: 'tekun', consents: [consent] });
}

async function fiveMemberHousehold(platform: RunningPlatform): Promise<string> {
  const registry = platform.departments.departments.find((d) => d.definition.name === 'household')!
    .database.db;
  const row = await registry
    .selectFrom('households')
    .select('id')
    .where('member_count', '=', 5)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function suite(driver: string, databaseUrl: string | undefined) {
  describe(`platform on ${driver}`, () => {
    let storage: TestStorage;
    let platform: RunningPlatform;
    let household: string;
    let headers: Record<string, string>;

    beforeAll(async () => {
      storage = testStorage(databaseUrl);
      platform = await startTestPlatform(storage);
      household = await fiveMemberHousehold(platform);
      headers = await reviewer(platform, storage.dataDir, household);
    });
    afterAll(async () => {
      await platform?.close();
      await storage?.cleanup();
    });

    it('reads one household across all six departments in one query', async () => {
      const { body, status } = await gql(
        platform.gateway.url,
        HOUSEHOLD_QUERY,
        { id: household },
        headers,
      );
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      const h = body.data.household;
      expect(h.id).toBe(household);
      expect(h.members).toHaveLength(5);
      expect(h.members[0].relationToHead).toBe('HEAD');
      for (const m of h.members) {
        expect(m.name).toMatch(/^\p{Script=Han}{2,4}$/u);
        expect(Array.isArray(m.properties)).toBe(true); // housing
        expect(m.medicalInsurance).not.toBeNull(); // medical
        expect(m.medicalExpenses.total).toBeGreaterThanOrEqual(m.medicalExpenses.outOfPocket); // medical
        expect('employment' in m && 'socialInsurance' in m).toBe(true); // employment
      }
      expect(Array.isArray(h.housingSupport)).toBe(true); // housing
      expect(Array.isArray(h.disasterDamage)).toBe(true); // disaster
      expect(Array.isArray(h.reliefReceived)).toBe(true); // disaster
      expect(Array.isArray(h.determinations)).toBe(true); // assistance
    });

    it('issues one SQL query per entity type in each department', async () => {
      const before = new Map(
        platform.departments.departments.map((d) => [d.definition.name, d.database.statementCount]),
      );
      const { body } = await gql(platform.gateway.url, HOUSEHOLD_QUERY, { id: household }, headers);
      expect(body.errors).toBeUndefined();
      const { disasterDamage, reliefReceived } = body.data.household;
      const namesEvents = [...disasterDamage, ...reliefReceived].some(
        (r: { event: unknown }) => r.event,
      );
      const used = Object.fromEntries(
        platform.departments.departments.map((d) => [
          d.definition.name,
          d.database.statementCount - before.get(d.definition.name)!,
        ]),
      );
      // household: the registry check of the consent's members (the gateway's, before the
      // plan), then the household row and its members; housing: properties by owner, provident
      // funds, housing support; medical: insurance, expenses; employment: employment records,
      // social insurance; disaster: damage, relief, and the events they name; assistance:
      // determinations.
      const disaster = namesEvents ? 3 : 2;
      expect(used).toEqual({
        household: 3,
        housing: 3,
        medical: 2,
        employment: 2,
        disaster,
        assistance: 1,
      });
    });

    it('rejects a malformed household number with BAD_USER_INPUT', async () => {
      const { body } = await gql(platform.gateway.url, HOUSEHOLD_QUERY, { id: '12345' }, headers);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.data.household).toBeNull();
    });
  });
}

suite('embedded SQLite', undefined);
if (postgresUrl) suite('PostgreSQL', postgresUrl);

describe.skipIf(!postgresUrl)('both drivers', () => {
  it('give the same answer for the same seed', async () => {
    const answers: unknown[] = [];
    for (const url of [undefined, postgresUrl]) {
      const storage = testStorage(url);
      const platform = await startTestPlatform(storage);
      try {
        const household = await fiveMemberHousehold(platform);
        const headers = await reviewer(platform, storage.dataDir, household);
        const { body } = await gql(
          platform.gateway.url,
          HOUSEHOLD_QUERY,
          { id: household },
          headers,
        );
        answers.push(body);
      } finally {
        await platform.close();
        await storage.cleanup();
      }
    }
    expect(answers[1]).toEqual(answers[0]);
  });
});
