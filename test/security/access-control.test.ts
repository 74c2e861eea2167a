/**
 * Security cases against a real platform (gateway + six departments, embedded storage): each
 * asserts the code, the path, and that no guarded value appears anywhere in the response body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, base64url, exportJWK, generateKeyPair } from 'jose';
import { readFileSync } from 'node:fs';
import {
  DEV_AUDIENCE,
  DEV_CONSENT_ISSUER,
  DEV_IDP_ISSUER,
  devKeyFiles,
} from '../../lib/identity/dev-keys.ts';
import { signingKey } from '../../lib/identity/key-sources.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { consentFor, headersFor } from '../helpers/callers.ts';
import { gql, startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';

const QUERY = `query H($id: ID!) {
  household(id: $id) {
    id
    address
    members { id name birthDate properties { area } medicalInsurance { scheme } criticalIllness }
    determinations { program }
  }
}`;

function codeAt(
  body: { errors?: { path?: (string | number)[]; extensions?: any }[] },
  path: string,
) {
  return body.errors?.find((e) => e.path?.join('.') === path)?.extensions?.code;
}

interface Member {
  id: string;
  name: string;
  birth_date: string;
}

describe('access control at the gateway', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let url: string;
  let household: string;
  let members: Member[];
  let otherHousehold: string;
  let address: string;

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(storage);
    url = platform.gateway.url;
    const registry = platform.departments.departments.find(
      (d) => d.definition.name === 'household',
    )!.database.db;
    household = platform.sample!.household;
    members = await registry
      .selectFrom('persons')
      .select(['id', 'name', 'birth_date'])
      .where('household_id', '=', household)
      .execute();
    address = (
      await registry
        .selectFrom('households')
        .select('address')
        .where('id', '=', household)
        .executeTakeFirstOrThrow()
    ).address;
    otherHousehold = (
      await registry
        .selectFrom('households')
        .select('id')
        .where('id', '!=', household)
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  /** No member's name, birth date or the address appears anywhere in the body. */
  function expectNoGuardedValues(
    text: string,
    subjects: Member[] = members,
    householdShared = false,
  ) {
    for (const m of subjects) {
      expect(text).not.toContain(m.name);
      expect(text).not.toContain(m.birth_date);
    }
    if (!householdShared) expect(text).not.toContain(address);
  }

  const consent = (overrides: Partial<Parameters<typeof consentFor>[1]> = {}) =>
    consentFor(storage.dataDir, {
      household,
      subjects: members.map((m) => m.id),
      grantees: ['civil-affairs'],
      purpose: 'dibao',
      ...overrides,
    });

  const caseworker = async (consents: string[], extra: Record<string, string> = {}) => ({
    ...(await headersFor(storage.dataDir, { dept: 'civil-affairs', purpose: 'dibao', consents })),
    ...extra,
  });

  it('serves the household to a caseworker with a consent covering it', async () => {
    const { body, status } = await gql(
      url,
      QUERY,
      { id: household },
      await caseworker([await consent()]),
    );
    expect(status).toBe(200);
    // Health data is outside the dibao purpose: only criticalIllness is withheld.
    expect(body.errors.map((e: any) => [e.path.at(-1), e.extensions.code])).toEqual(
      members.map(() => ['criticalIllness', 'FORBIDDEN']),
    );
    expect(body.data.household.address).toBe(address);
    expect(body.data.household.members.map((m: { name: string }) => m.name).sort()).toEqual(
      members.map((m) => m.name).sort(),
    );
  });

  describe('caller authentication', () => {
    const idpKey = () =>
      signingKey(devKeyFiles(storage.dataDir, 'idp').privateJwk, { refuseDevKeys: false });
    const claims = { dept: 'civil-affairs', roles: ['caseworker'] };
    async function signed(mutate: (jwt: SignJWT) => SignJWT) {
      const { key } = await idpKey();
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
        .setIssuer(DEV_IDP_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject('client')
        .setJti('jti-1')
        .setIssuedAt()
        .setExpirationTime('1h');
      return mutate(jwt).sign(key);
    }
    async function expectUnauthenticated(authorization: string | undefined) {
      const headers = await caseworker([await consent()]);
      if (authorization === undefined) delete (headers as Record<string, string>).authorization;
      else headers.authorization = authorization;
      const { status, body, text } = await gql(url, QUERY, { id: household }, headers);
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(body.data).toBeUndefined();
      expectNoGuardedValues(text);
      // Nothing that helps an attacker: the same message whatever was wrong.
      expect(body.errors?.[0]?.message).toBe(
        'Authentication required: present a valid department token',
      );
    }

    it('refuses a missing token', () => expectUnauthenticated(undefined));
    it('refuses a garbage token', () => expectUnauthenticated('Bearer not.a.token'));
    it('refuses alg none', async () => {
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
      const payload = base64url.encode(
        JSON.stringify({
          ...claims,
          iss: DEV_IDP_ISSUER,
          aud: DEV_AUDIENCE,
          sub: 'x',
          jti: 'j',
          iat: 1,
          exp: 4102444800,
        }),
      );
      await expectUnauthenticated(`Bearer ${header}.${payload}.`);
    });
    it('refuses HS256 signed with the public key', async () => {
      const jwks = readFileSync(devKeyFiles(storage.dataDir, 'idp').publicJwks, 'utf8');
      const token = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(DEV_IDP_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject('client')
        .setJti('j')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(jwks));
      await expectUnauthenticated(`Bearer ${token}`);
    });
    it('refuses a wrong issuer', async () =>
      expectUnauthenticated(`Bearer ${await signed((j) => j.setIssuer('https://evil.example'))}`));
    it('refuses a wrong audience', async () =>
      expectUnauthenticated(`Bearer ${await signed((j) => j.setAudience('another-api'))}`));
    it('refuses an expired token', async () =>
      expectUnauthenticated(
        `Bearer ${await signed((j) => j.setIssuedAt(1_600_000_000).setExpirationTime(1_600_003_600))}`,
      ));
    it('refuses a token not valid yet', async () =>
      expectUnauthenticated(
        `Bearer ${await signed((j) => j.setNotBefore(Math.floor(Date.now() / 1000) + 3600))}`,
      ));
    it('refuses a token signed by an unknown key', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
        .setIssuer(DEV_IDP_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject('c')
        .setJti('j')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
      await expectUnauthenticated(`Bearer ${token}`);
    });
    it('forbids a department that is not in the catalogue', async () => {
      const headers = await headersFor(storage.dataDir, { dept: 'tax-bureau', purpose: 'dibao' });
      const { status, body, text } = await gql(url, QUERY, { id: household }, headers);
      expect(status).toBe(403);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expectNoGuardedValues(text);
    });
  });

  describe('consents', () => {
    it('a consent for another household opens nothing here', async () => {
      const other = await consent({ household: otherHousehold, subjects: ['11010519491231002X'] });
      const { body, text } = await gql(url, QUERY, { id: household }, await caseworker([other]));
      expect(body.data.household.address).toMatch(/\*{4}$/);
      expect(body.data.household.members).toBeNull();
      expect(codeAt(body, 'household.members')).toBe('CONSENT_REQUIRED');
      expectNoGuardedValues(text);
    });

    it('a consent for another purpose is PURPOSE_NOT_ALLOWED at the guarded paths', async () => {
      const { body, text } = await gql(
        url,
        QUERY,
        { id: household },
        await caseworker([await consent({ purpose: 'tekun' })]),
      );
      expect(body.data.household.members).toBeNull();
      expect(codeAt(body, 'household.members')).toBe('PURPOSE_NOT_ALLOWED');
      expectNoGuardedValues(text);
    });

    it('a consent granted to another department is CONSENT_INVALID at the guarded paths', async () => {
      const { body, text } = await gql(
        url,
        QUERY,
        { id: household },
        await caseworker([await consent({ grantees: ['housing'] })]),
      );
      expect(codeAt(body, 'household.members')).toBe('CONSENT_INVALID');
      expectNoGuardedValues(text);
    });

    /** A consent for the household signed by hand: with any development key, at any time. */
    async function handSignedConsent(
      signer: 'idp' | 'consent-authority',
      jti: string,
      times: { iat: number | 'now'; nbf: number | string; exp: number | string },
    ): Promise<string> {
      const { key } = await signingKey(devKeyFiles(storage.dataDir, signer).privateJwk, {
        refuseDevKeys: false,
      });
      const jwt = new SignJWT({
        hh: household,
        subjects: members.map((m) => m.id),
        grantees: ['civil-affairs'],
        purpose: 'dibao',
        categories: ['identity', 'household'],
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'consent+jwt' })
        .setIssuer(DEV_CONSENT_ISSUER)
        .setSubject(members[0]!.id)
        .setJti(jti);
      if (times.iat === 'now') jwt.setIssuedAt();
      else jwt.setIssuedAt(times.iat);
      return jwt.setNotBefore(times.nbf).setExpirationTime(times.exp).sign(key);
    }

    it('a consent signed by a department key, not the consent authority, rejects the request', async () => {
      const forged = await handSignedConsent('idp', 'forged-1', {
        iat: 'now',
        nbf: '0s',
        exp: '1h',
      });
      const { status, body, text } = await gql(
        url,
        QUERY,
        { id: household },
        await caseworker([forged]),
      );
      expect(status).toBe(403);
      expect(body.errors?.[0]?.extensions?.code).toBe('CONSENT_INVALID');
      expect(body.data).toBeUndefined();
      expectNoGuardedValues(text);
    });

    it('an expired consent is CONSENT_EXPIRED at the guarded paths', async () => {
      const expired = await handSignedConsent('consent-authority', 'expired-1', {
        iat: 1_600_000_000,
        nbf: 1_600_000_000,
        exp: 1_600_086_400,
      });
      const { body, text } = await gql(url, QUERY, { id: household }, await caseworker([expired]));
      expect(codeAt(body, 'household.members')).toBe('CONSENT_EXPIRED');
      expectNoGuardedValues(text);
    });

    it('a consent covering only some members opens those members only', async () => {
      const [covered, ...others] = members;
      const partial = await consent({ subjects: [covered!.id] });
      const { body, text } = await gql(url, QUERY, { id: household }, await caseworker([partial]));
      expect(codeAt(body, 'household.members')).toBeUndefined();
      const byId = new Map(
        body.data.household.members.map((m: any, i: number) => [m.id, { ...m, index: i }]),
      );
      expect((byId.get(covered!.id) as any).name).toBe(covered!.name);
      expect((byId.get(covered!.id) as any).birthDate).toBe(covered!.birth_date);
      for (const m of others) {
        const row = byId.get(m.id) as any;
        // The name is OPEN but masked; the birth date is withheld.
        expect(row.name).toContain('*');
        expect(row.birthDate).toBeNull();
        expect(codeAt(body, `household.members.${row.index}.birthDate`)).toBe('CONSENT_REQUIRED');
      }
      expectNoGuardedValues(text, others, true);
    });

    it('aliases, fragments and inline fragments reach no more than plain fields', async () => {
      const sneaky = `query($id: ID!) {
        a: household(id: $id) { where: address ...M ... on Household { again: address members { n: name } } }
      }
      fragment M on Household { members { id b: birthDate ... on Person { name } } }`;
      const { body, text } = await gql(url, sneaky, { id: household }, await caseworker([]));
      expect(body.data.a.where).toMatch(/\*{4}$/);
      expect(body.data.a.again).toMatch(/\*{4}$/);
      expect(body.data.a.members).toBeNull();
      const codes = new Set(body.errors.map((e: any) => e.extensions.code));
      expect([...codes]).toEqual(['CONSENT_REQUIRED']);
      expectNoGuardedValues(text);
    });

    it('revocation through the API takes effect on the next request', async () => {
      const token = await consent({ id: `revoke-me-${Date.now()}` });
      const ok = await gql(url, QUERY, { id: household }, await caseworker([token]));
      expect(ok.body.data.household.address).toBe(address);
      const authority = await headersFor(storage.dataDir, {
        dept: 'consent-authority',
        operator: null,
      });
      const id = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti;
      const revoked = await gql(
        url,
        `mutation($id: ID!) { revokeConsent(id: $id, reason: "citizen withdrew") { consentId revokedBy } }`,
        { id },
        authority,
      );
      expect(revoked.body.errors).toBeUndefined();
      expect(revoked.body.data.revokeConsent.consentId).toBe(id);
      const after = await gql(url, QUERY, { id: household }, await caseworker([token]));
      expect(codeAt(after.body, 'household.members')).toBe('CONSENT_REVOKED');
      expectNoGuardedValues(after.text);
    });

    it('serves a batch review of 20 households under 20 consents in one request', async () => {
      const registry = platform.departments.departments.find(
        (d) => d.definition.name === 'household',
      )!.database.db;
      const rows = await registry
        .selectFrom('persons')
        .select(['id', 'household_id'])
        .orderBy('household_id')
        .execute();
      const households = [...new Set(rows.map((r: any) => r.household_id as string))].slice(0, 20);
      const consents = await Promise.all(
        households.map((hh) =>
          consent({
            household: hh,
            subjects: rows.filter((r: any) => r.household_id === hh).map((r: any) => r.id),
          }),
        ),
      );
      const query = `query($ids: [ID!]!) {
        households(ids: $ids) { id members { birthDate properties { area } } determinations { program } }
      }`;
      const variables = { ids: households };
      const { body } = await gql(url, query, variables, await caseworker(consents));
      expect(body.errors).toBeUndefined();
      households.forEach((hh, i) => {
        expect(body.data.households[i].id).toBe(hh);
        for (const m of body.data.households[i].members)
          expect(m.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      });
      const tooMany = await gql(
        url,
        QUERY,
        { id: household },
        await caseworker(Array(101).fill(consents[0])),
      );
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('only the consent authority may revoke', async () => {
      const { body } = await gql(
        url,
        `mutation { revokeConsent(id: "x-1", reason: "because") { consentId } }`,
        {},
        await caseworker([]),
      );
      expect(body.data.revokeConsent).toBeNull();
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    });
  });

  describe('purposes, operators, emergency and analysts', () => {
    it('a purpose the department may not use is refused before any department is called', async () => {
      const headers = await headersFor(storage.dataDir, { dept: 'housing', purpose: 'dibao' });
      const { status, body } = await gql(url, QUERY, { id: household }, headers);
      expect(status).toBe(403);
      expect(body.errors[0].extensions.code).toBe('PURPOSE_NOT_ALLOWED');
    });

    it('person-level reads need X-Operator-Id', async () => {
      const headers = await headersFor(storage.dataDir, {
        dept: 'civil-affairs',
        purpose: 'dibao',
        operator: null,
        consents: [await consent()],
      });
      const { status, body, text } = await gql(url, QUERY, { id: household }, headers);
      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe('OPERATOR_REQUIRED');
      expectNoGuardedValues(text);
    });

    it('emergency access without a reason is REASON_REQUIRED', async () => {
      const headers = await headersFor(storage.dataDir, {
        dept: 'emergency-management',
        purpose: 'emergency',
      });
      const { status, body, text } = await gql(url, QUERY, { id: household }, headers);
      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe('REASON_REQUIRED');
      expectNoGuardedValues(text);
    });

    it('emergency access with a reason reaches only the categories the catalogue allows', async () => {
      const headers = await headersFor(storage.dataDir, {
        dept: 'emergency-management',
        purpose: 'emergency',
        reason: '台风转移安置：核实住户',
      });
      const { body } = await gql(url, QUERY, { id: household }, headers);
      expect(body.data.household.address).toBe(address);
      expect(body.data.household.members[0].name).toBeTruthy();
      expect(body.data.household.members[0].medicalInsurance).not.toBeNull();
      expect(body.data.household.members[0].properties).toBeNull();
      expect(body.data.household.members[0].criticalIllness).toBeNull();
      const denied = body.errors.filter(
        (e: any) => e.path.at(-1) === 'properties' || e.path.at(-1) === 'criticalIllness',
      );
      expect(denied.length).toBe(2 * members.length);
      expect(new Set(denied.map((e: any) => e.extensions.code))).toEqual(new Set(['FORBIDDEN']));
    });

    it('an analyst asking for a person-level field is FORBIDDEN', async () => {
      const headers = await headersFor(storage.dataDir, {
        dept: 'analytics',
        purpose: 'statistics',
        operator: null,
      });
      const { body, text } = await gql(url, QUERY, { id: household }, headers);
      expect(body.data?.household ?? null).toBeNull();
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(body.errors[0].path).toEqual(['household']);
      expectNoGuardedValues(text);
    });

    it('masks names for a department whose purpose does not cover identity for the subject', async () => {
      const headers = await headersFor(storage.dataDir, {
        dept: 'housing',
        purpose: 'housing-assistance',
      });
      const { body, text } = await gql(
        url,
        `query($id: ID!) { household(id: $id) { members { id name } address } }`,
        { id: household },
        headers,
      );
      // No consent: the household's members are not listed, but a direct lookup shows masked names.
      expect(body.data.household.members).toBeNull();
      const person = await gql(
        url,
        `query($id: ID!) { person(id: $id) { name } }`,
        { id: members[0]!.id },
        headers,
      );
      const masked = person.body.data.person.name as string;
      expect(masked).not.toBe(members[0]!.name);
      expect(masked[0]).toBe(members[0]!.name[0]);
      expect(masked).toContain('*');
      expectNoGuardedValues(text);
    });
  });

  it('refuses _entities sent straight to a subgraph', async () => {
    const housing = platform.departments.urls.housing!;
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { properties { area } } } }`;
    for (const extensions of [undefined, { accessContext: 'garbage' }]) {
      const response = await fetch(housing, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query,
          variables: { r: [{ __typename: 'Person', id: members[0]!.id }] },
          extensions,
        }),
      });
      expect(response.status).toBe(401);
      const body = await response.json();
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.data).toBeUndefined();
    }
    const sdl = await fetch(housing, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(sdl.status).toBe(401);
    void exportJWK;
  });
});
