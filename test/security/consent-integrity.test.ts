/**
 * Consent integrity against a real platform: a consent covers only the persons the household
 * registry lists in its household (reads at every depth, the batch review, writes), and no
 * consent lasts longer than its purpose allows (catalogue `maxConsentDays`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { DEV_CONSENT_ISSUER, devKeyFiles } from '../../lib/identity/dev-keys.ts';
import { signingKey } from '../../lib/identity/key-sources.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { consentFor, headersFor } from '../helpers/callers.ts';
import { gql, startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import { residentsByHousehold, type Resident } from '../helpers/registry.ts';
import { HOUSEHOLD_ASSISTANCE, RECORD_DETERMINATION, dibaoInput } from '../helpers/story.ts';

const errorAt = (body: any, path: string) =>
  body.errors?.find((e: any) => e.path?.join('.') === path);

describe('consent integrity', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let url: string;
  /** Household A (the consent's), B (an outsider's), C (a second consent's in the batch). */
  let a: Resident[];
  let b: Resident[];
  let c: Resident[];

  const household = (rs: Resident[]) => rs[0]!.household_id;
  const caseworker = async (consents: string[], purpose = 'dibao') =>
    headersFor(storage.dataDir, { dept: 'civil-affairs', purpose, consents });
  /** A dibao consent for A that B's first member also "signed". */
  const tamperedConsent = () =>
    consentFor(storage.dataDir, {
      household: household(a),
      subjects: [...a.map((r) => r.id), b[0]!.id],
      grantees: ['civil-affairs'],
      purpose: 'dibao',
    });

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(storage);
    url = platform.gateway.url;
    const families = (await residentsByHousehold(platform)).filter((rs) => rs.length >= 2);
    [a, b, c] = [families[0]!, families[1]!, families[2]!];
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  describe('a consent covers only the members of its own household', () => {
    it('does not open an outsider it names, at the root and at depth, in every department', async () => {
      const headers = await caseworker([await tamperedConsent()]);
      const outsider = b[0]!;
      const { body, text } = await gql(
        url,
        `query($ids: [ID!]!) { persons(ids: $ids) { id birthDate properties { area }
          household { id members { id birthDate } } } }`,
        { ids: [a[0]!.id, outsider.id] },
        headers,
      );
      // The household's own member is covered, fields of two departments included.
      expect(body.data.persons[0].birthDate).toBe(a[0]!.birth_date);
      expect(errorAt(body, 'persons.0.properties')).toBeUndefined();
      // The outsider is not: the registry check's code and reason, at every field.
      expect(body.data.persons[1].birthDate).toBeNull();
      const denied = errorAt(body, 'persons.1.birthDate');
      expect(denied.extensions.code).toBe('CONSENT_INVALID');
      expect(denied.message).toMatch(/registry does not list them/);
      expect(errorAt(body, 'persons.1.properties').extensions.code).toBe('CONSENT_INVALID');
      expect(errorAt(body, 'persons.1.household').extensions.code).toBe('CONSENT_INVALID');
      expect(text).not.toContain(outsider.birth_date);
    });

    it('reaching the outsider through their own household opens nothing of it', async () => {
      const headers = await caseworker([await tamperedConsent()]);
      const { body, text } = await gql(
        url,
        `query($id: ID!) { household(id: $id) { memberCount members { id birthDate } } }`,
        { id: household(b) },
        headers,
      );
      expect(body.data.household.memberCount).toBeNull();
      expect(errorAt(body, 'household.memberCount').extensions.code).toBe('CONSENT_REQUIRED');
      for (const r of b) expect(text).not.toContain(r.birth_date);
    });

    it('the batch review serves the other households and never the outsider', async () => {
      const second = await consentFor(storage.dataDir, {
        household: household(c),
        subjects: c.map((r) => r.id),
        grantees: ['civil-affairs'],
        purpose: 'dibao',
      });
      const headers = await caseworker([await tamperedConsent(), second]);
      const { body, text } = await gql(
        url,
        `query($hh: [ID!]!, $ids: [ID!]!) {
          households(ids: $hh) { id members { id birthDate } }
          persons(ids: $ids) { id birthDate employment { status } }
        }`,
        { hh: [household(a), household(c)], ids: [b[0]!.id, c[0]!.id] },
        headers,
      );
      expect(body.data.households[0].members.map((m: any) => m.birthDate)).toEqual(
        expect.arrayContaining(a.map((r) => r.birth_date)),
      );
      expect(body.data.households[1].members.map((m: any) => m.birthDate)).toEqual(
        expect.arrayContaining(c.map((r) => r.birth_date)),
      );
      expect(body.data.persons[1].birthDate).toBe(c[0]!.birth_date);
      expect(errorAt(body, 'persons.0.birthDate').extensions.code).toBe('CONSENT_INVALID');
      expect(errorAt(body, 'persons.0.employment').extensions.code).toBe('CONSENT_INVALID');
      expect(text).not.toContain(b[0]!.birth_date);
    });

    it('a consent for a household the registry does not list covers nobody', async () => {
      const consent = await consentFor(storage.dataDir, {
        household: '440106999999999',
        subjects: [b[0]!.id],
        grantees: ['civil-affairs'],
        purpose: 'dibao',
      });
      const { body } = await gql(
        url,
        `query($id: ID!) { person(id: $id) { birthDate } }`,
        { id: b[0]!.id },
        await caseworker([consent]),
      );
      expect(body.data.person.birthDate).toBeNull();
      expect(errorAt(body, 'person.birthDate').extensions.code).toBe('CONSENT_INVALID');
    });

    it('a determination listing an outsider is BAD_USER_INPUT naming coveredMembers, and stores nothing', async () => {
      const headers = await caseworker([await tamperedConsent()]);
      const story = {
        url,
        dataDir: storage.dataDir,
        household: household(a),
        members: a.map((r) => r.id),
      };
      const before = await gql(url, HOUSEHOLD_ASSISTANCE, { id: household(a) }, headers);
      const input = dibaoInput(story, { coveredMembers: [a[0]!.id, b[0]!.id] });
      const { body, text } = await gql(url, RECORD_DETERMINATION, { input }, headers);
      expect(body.data?.recordDetermination ?? null).toBeNull();
      expect(body.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'coveredMembers',
      });
      expect(text).not.toContain(b[0]!.id);
      const after = await gql(url, HOUSEHOLD_ASSISTANCE, { id: household(a) }, headers);
      expect(after.body.data.household.determinations).toEqual(
        before.body.data.household.determinations,
      );
      const status = await gql(
        url,
        `query($id: ID!) { person(id: $id) { assistanceStatus { activePrograms } } }`,
        { id: b[0]!.id },
        await headersFor(storage.dataDir, {
          dept: 'civil-affairs',
          purpose: 'dibao',
          consents: [
            await consentFor(storage.dataDir, {
              household: household(b),
              subjects: b.map((r) => r.id),
              grantees: ['civil-affairs'],
              purpose: 'dibao',
            }),
          ],
        }),
      );
      expect(status.body.data.person.assistanceStatus.activePrograms).not.toContain('DIBAO');
      // Members of the household are still written as before.
      const ok = await gql(url, RECORD_DETERMINATION, { input: dibaoInput(story) }, headers);
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data.recordDetermination.coveredMembers).toBe(a.length);
    });
  });

  describe("a consent lasts no longer than its purpose's maximum", () => {
    /** Signs a consent for A with the development consent authority's key and these times. */
    async function consentWithTimes(
      purpose: string,
      times: { iat: number; nbf: number; exp: number },
    ) {
      const { key, kid, alg } = await signingKey(
        devKeyFiles(storage.dataDir, 'consent-authority').privateJwk,
        { refuseDevKeys: false },
      );
      return new SignJWT({
        hh: household(a),
        subjects: a.map((r) => r.id),
        grantees: ['civil-affairs'],
        purpose,
        categories: ['identity', 'household', 'income', 'assistance'],
        ...times,
      })
        .setProtectedHeader({ alg, typ: 'consent+jwt', ...(kid ? { kid } : {}) })
        .setIssuer(DEV_CONSENT_ISSUER)
        .setSubject(a[0]!.id)
        .setJti(`consent-${randomUUID()}`)
        .sign(key);
    }
    const now = Math.floor(Date.now() / 1000);
    const day = 86_400;
    const birthDate = async (consent: string, purpose: string) =>
      (
        await gql(
          url,
          `query($id: ID!) { person(id: $id) { birthDate } }`,
          { id: a[0]!.id },
          await caseworker([consent], purpose),
        )
      ).body;

    it.each([
      ['iat to exp', { iat: now, nbf: now, exp: now + 91 * day }],
      ['nbf to exp', { iat: now, nbf: now - 60 * day, exp: now + 31 * day }],
      ['issued long ago', { iat: now - 200 * day, nbf: now - 1, exp: now + 10 * day }],
    ])(
      'refuses a temporary-assistance consent over 90 days (%s) with CONSENT_INVALID',
      async (_, times) => {
        const body = await birthDate(
          await consentWithTimes('temporary-assistance', times),
          'temporary-assistance',
        );
        expect(body.data.person.birthDate).toBeNull();
        const denied = errorAt(body, 'person.birthDate');
        expect(denied.extensions.code).toBe('CONSENT_INVALID');
        expect(denied.message).toMatch(/maximum consent lifetime/);
      },
    );

    it('accepts one of exactly the maximum, and a dibao consent of a year', async () => {
      const ninety = await consentWithTimes('temporary-assistance', {
        iat: now,
        nbf: now,
        exp: now + 90 * day,
      });
      expect((await birthDate(ninety, 'temporary-assistance')).data.person.birthDate).toBe(
        a[0]!.birth_date,
      );
      const year = await consentWithTimes('dibao', { iat: now, nbf: now, exp: now + 365 * day });
      expect((await birthDate(year, 'dibao')).data.person.birthDate).toBe(a[0]!.birth_date);
    });
  });
});
