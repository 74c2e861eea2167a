/**
 * Operation limits at the gateway, against a real platform with small limits: every refusal is a
 * coded error with no data, and no department is called (their SQL statement counts stay put).
 * Also: body size, batches, introspection turned off, and trusted documents per client.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { HOUSEHOLD_QUERY } from '../../gateway/sample-query.ts';
import { sha256Hex } from '../../gateway/limits/trusted-documents.ts';
import { storyOf, withConsent } from '../helpers/story.ts';
import { startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import { callerHeaders, postJson } from './helpers.ts';

const REGISTERED = 'query Registered($id: ID!) { household(id: $id) { id address } }';
const NOT_REGISTERED = 'query Other($id: ID!) { household(id: $id) { id } }';

describe('operation limits', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let url: string;
  let household: string;
  let caseworker: Record<string, string>;

  const statements = () =>
    platform.departments.departments.reduce((n, d) => n + d.database.statementCount, 0);

  /** Sends a request that must be refused before any department is asked anything. */
  async function refused(body: unknown, headers = caseworker) {
    const before = statements();
    const response = await postJson(url, body, headers);
    expect(statements()).toBe(before);
    expect(response.body.data).toBeUndefined();
    return response;
  }

  beforeAll(async () => {
    storage = testStorage();
    const manifest = path.join(storage.dataDir, 'trusted.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [
          { id: sha256Hex(REGISTERED), name: 'Registered', type: 'query', body: REGISTERED },
        ],
      }),
    );
    platform = await startTestPlatform(storage, {
      MAX_QUERY_DEPTH: '5',
      MAX_QUERY_ALIASES: '3',
      MAX_ROOT_FIELDS: '3',
      MAX_QUERY_TOKENS: '400',
      MAX_QUERY_COST: '1000',
      MAX_BODY_BYTES: '8192',
      INTROSPECTION: 'false',
      TRUSTED_DOCUMENTS: manifest,
      TRUSTED_DOCUMENTS_ENFORCE: 'dept:housing,strict-client',
    });
    url = platform.gateway.url;
    household = platform.sample!.household;
    caseworker = await withConsent(storyOf(platform, storage.dataDir), 'civil-affairs', 'tekun');
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  it('serves the cross-department household query within the limits', async () => {
    const { status, body } = await postJson(
      url,
      { query: HOUSEHOLD_QUERY, variables: { id: household } },
      caseworker,
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  const expectTooComplex = (response: { status: number; body: any }, limit: string) => {
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit });
    expect(response.body.errors[0].message).toMatch(/exceeds the limit/);
  };

  it('refuses a query nested too deep', async () => {
    const query = `query($id: ID!) { household(id: $id) { head { household { head { household { id } } } } } }`;
    expectTooComplex(await refused({ query, variables: { id: household } }), 'depth');
  });

  it('refuses too many aliases, counted through fragments', async () => {
    const query = `query($id: ID!) { household(id: $id) { ...F } }
      fragment F on Household { a: id b: id c: address d: region }`;
    expectTooComplex(await refused({ query, variables: { id: household } }), 'aliases');
  });

  it('refuses too many root fields, counted through fragments', async () => {
    const query = `{ disasterEvents(first: 1) { id } ...R }
      fragment R on Query { person(id: "x") { id } persons(ids: []) { id } household(id: "x") { id } }`;
    expectTooComplex(await refused({ query }), 'rootFields');
  });

  it('refuses a document with too many tokens before parsing it', async () => {
    const query = `{ ${Array.from({ length: 450 }, () => '__typename').join(' ')} }`;
    expectTooComplex(await refused({ query }), 'tokens');
  });

  it('prices persons(ids) per id, whether the document is new or already cached', async () => {
    const query = 'query People($ids: [ID!]!) { persons(ids: $ids) { id properties { area } } }';
    const few = await postJson(
      url,
      { query, variables: { ids: platform.sample!.members } },
      caseworker,
    );
    expect(few.status).toBe(200);
    // Same text (Apollo has it parsed and validated already), more ids: 100 × 11 > 1000.
    const many = Array.from({ length: 100 }, () => platform.sample!.members[0]);
    const response = await refused({ query, variables: { ids: many } });
    expectTooComplex(response, 'cost');
    expect(response.body.errors[0].extensions.measured).toBe(1100);
  });

  it('measures a fragment bomb without expanding it, and refuses it', async () => {
    const levels = Array.from(
      { length: 12 },
      (_, i) => `fragment F${i} on Household { ...F${i + 1} ...F${i + 1} }`,
    );
    const query = `query($id: ID!) { household(id: $id) { ...F0 } } ${levels.join(' ')} fragment F12 on Household { head { id } }`;
    expectTooComplex(await refused({ query, variables: { id: household } }), 'cost');
  });

  it('answers a body over MAX_BODY_BYTES with 413 BAD_USER_INPUT', async () => {
    const response = await refused({
      query: `{ __typename }`,
      variables: { pad: 'x'.repeat(9000) },
    });
    expect(response.status).toBe(413);
    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses batched requests with BAD_USER_INPUT', async () => {
    const response = await refused([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toMatch(/one operation per request/);
  });

  it('refuses malformed JSON with BAD_USER_INPUT', async () => {
    const response = await refused('{"query": ');
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses introspection when INTROSPECTION=false', async () => {
    const response = await refused({ query: '{ __schema { types { name } } }' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.text).not.toContain('Household');
  });

  describe('trusted documents', () => {
    const housing = () =>
      callerHeaders(storage.dataDir, 'housing', { 'x-purpose': 'housing-assistance' });

    it('lets an enforced client run a registered operation, sent whole or by id', async () => {
      const headers = await housing();
      const whole = await postJson(
        url,
        { query: REGISTERED, variables: { id: household } },
        headers,
      );
      expect(whole.status).toBe(200);
      expect(whole.body.data.household.id).toBe(household);
      const byId = await postJson(
        url,
        {
          variables: { id: household },
          extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(REGISTERED) } },
        },
        headers,
      );
      expect(byId.status).toBe(200);
      expect(byId.body.data.household.id).toBe(household);
    });

    it('refuses an unregistered operation to an enforced department or client', async () => {
      for (const headers of [
        await housing(),
        await callerHeaders(
          storage.dataDir,
          'civil-affairs',
          { 'x-purpose': 'tekun' },
          'strict-client',
        ),
      ]) {
        const response = await refused(
          { query: NOT_REGISTERED, variables: { id: household } },
          headers,
        );
        expect(response.status).toBe(403);
        expect(response.body.errors[0].extensions).toMatchObject({
          code: 'FORBIDDEN',
          reason: 'OPERATION_NOT_REGISTERED',
        });
      }
    });

    it('lets other clients run any operation', async () => {
      const response = await postJson(
        url,
        { query: NOT_REGISTERED, variables: { id: household } },
        caseworker,
      );
      expect(response.status).toBe(200);
      expect(response.body.data.household.id).toBe(household);
    });
  });
});
