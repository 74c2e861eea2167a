/**
 * What GraphQL's own errors tell a client through the running gateway: with introspection off no
 * "Did you mean" hints; input errors never echo the submitted value (identity numbers included)
 * but carry BAD_USER_INPUT and where the bad input is; an operation that cannot be resolved is a
 * coded 400, audited like any rejected request; internal errors are logged by cause, not message.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { decodeRecord } from '../../gateway/audit/stored-record.ts';
import { createGraphQLRoute } from '../../gateway/graphql-route.ts';
import { createInternalErrorsPlugin } from '../../gateway/observability/internal-errors-plugin.ts';
import { CATALOGUE } from '../../schema/catalogue.ts';
import { Policy } from '../../schema/policy.ts';
import { startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import { storyOf, type Story } from '../helpers/story.ts';
import { bufferedLogger, callerHeaders, postJson } from './helpers.ts';

const RECORD = `mutation Record($input: RecordDeterminationInput!) {
  recordDetermination(input: $input) { id }
}`;

describe('client errors through the gateway, introspection off', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let story: Story;
  let headers: Record<string, string>;
  const log = bufferedLogger();

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(
      storage,
      { INTROSPECTION: 'false', AUDIT_COMMIT_DELAY_MS: '0' },
      { logger: log.logger },
    );
    story = storyOf(platform, storage.dataDir);
    headers = await callerHeaders(storage.dataDir, 'civil-affairs', { 'x-purpose': 'dibao' });
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  const post = (body: unknown, extra: Record<string, string> = {}) =>
    postJson(platform.gateway.url, body, { ...headers, ...extra });

  it('gives no schema hints in any message', async () => {
    const misspelt = [
      { query: '{ persn(id: "1") { name } }' },
      { query: 'query($id: ID!) { person(id: $id) { nam } }', variables: { id: '1' } },
      { query: '{ person(idd: "1") { name } }' },
      { query: 'query($x: Strin) { __typename }' },
      { query: `{ assistanceChanges(firs: 1) { endCursor } }` },
      { query: RECORD, variables: { input: { program: 'DIBAOO', idempotencyKeyy: 'k' } } },
      { query: 'mutation { recordDetermination(input: { progrm: DIBAO }) { id } }' },
    ];
    for (const body of misspelt) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.body.errors.length).toBeGreaterThan(0);
      expect(response.text).not.toMatch(/did you mean/i);
      for (const error of response.body.errors) {
        expect(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']).toContain(error.extensions.code);
      }
    }
  });

  it('never echoes a submitted value: the error is BAD_USER_INPUT and names where', async () => {
    const id = story.members[0]!;
    const requests = [
      // A missing field and an unknown one: graphql-js quoted the whole input.
      { query: RECORD, variables: { input: { household: id, coveredMembers: [id], extra: id } } },
      // A wrong type inside a list, and a value of the wrong shape altogether.
      { query: RECORD, variables: { input: { household: id, coveredMembers: [{ id }] } } },
      { query: 'query($id: ID!) { person(id: $id) { name } }', variables: { id: { id } } },
      // An unknown input field whose name is itself an identity number.
      { query: RECORD, variables: { input: { household: id, [`a${id}`]: 1 } } },
    ];
    for (const body of requests) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.text).not.toContain(id);
      expect(response.text).not.toContain(id.slice(0, 6) + id.slice(-4));
      for (const error of response.body.errors) {
        expect(error.extensions.code).toBe('BAD_USER_INPUT');
        expect(error.extensions.path).toMatch(/^(input|id)\b/);
      }
    }
    const missing = await post(requests[0]!);
    expect(missing.body.errors).toContainEqual(
      expect.objectContaining({
        message:
          'Variable "$input" got an invalid value at "input": Field "caseId" of required type "String!" was not provided.',
        extensions: { code: 'BAD_USER_INPUT', variable: 'input', path: 'input' },
      }),
    );
    const inList = await post(requests[1]!);
    expect(inList.body.errors).toContainEqual(
      expect.objectContaining({
        extensions: { code: 'BAD_USER_INPUT', variable: 'input', path: 'input.coveredMembers[0]' },
      }),
    );
    // A literal in the document is not echoed either.
    const literal = await post({ query: `{ assistanceChanges(first: "${id}") { endCursor } }` });
    expect(literal.status).toBe(400);
    expect(literal.text).not.toContain(id);
    expect(literal.body.errors[0].message).toBe('Expected a value of type "Int".');
    expect(log.lines()).not.toContain(id);
  });

  it('an operation that cannot be resolved is a coded 400, audited as rejected', async () => {
    const document = 'query A { __typename } query B { __typename }';
    for (const [body, message] of [
      [{ query: document }, /several operations: operationName must name/],
      [{ query: document, operationName: 'Missing440106' }, /names none of the operations/],
    ] as const) {
      const requestId = `opname-${randomUUID()}`;
      const response = await post(body, { 'x-request-id': requestId });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        {
          message: expect.stringMatching(message),
          extensions: { code: 'BAD_USER_INPUT', field: 'operationName' },
        },
      ]);
      expect(response.text).not.toContain('Missing440106');
      const rows = await platform.audit.log.database.db
        .selectFrom('access_log')
        .select('record')
        .execute();
      const record = rows
        .map((r: { record: string }) => decodeRecord(r.record))
        .find((r) => r.requestId === requestId);
      expect(record).toMatchObject({
        status: 400,
        outcome: 'rejected',
        errorCodes: ['BAD_USER_INPUT'],
        dept: 'civil-affairs',
      });
    }
    // Named, the same document runs.
    const named = await post({ query: document, operationName: 'B' });
    expect(named.body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('internal errors in the log', () => {
  it('are logged by type and code, never by message', async () => {
    const { logger, lines } = bufferedLogger();
    const plugin = createInternalErrorsPlugin(logger);
    const listener = await plugin.requestDidStart!({} as never);
    const cause = Object.assign(new TypeError('row 440106199001011234 has no name'), {
      code: 'ERR_BROKEN',
    });
    const errors = [
      new GraphQLError('row 440106199001011234 has no name', { originalError: cause }),
      new GraphQLError('not for you', { extensions: { code: 'FORBIDDEN' } }),
    ];
    await listener!.didEncounterErrors!({
      errors,
      contextValue: { access: { requestId: 'req-1' } },
    } as never);
    const logged = lines()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'error',
      requestId: 'req-1',
      err: { type: 'TypeError', code: 'ERR_BROKEN' },
    });
    expect(lines()).not.toContain('440106199001011234');
  });
});

describe('a request that fails before it runs', () => {
  it('is a 500 whose cause is logged by type, never by message', async () => {
    const { logger, lines } = bufferedLogger();
    const route = createGraphQLRoute({
      apollo: {} as never,
      requestAccess: async () => {
        throw new TypeError('cannot read 440106199001011234');
      },
      policy: new Policy(CATALOGUE),
      audit: null,
      maxBodyBytes: 1024,
      logger,
    });
    const server = http.createServer((req, res) => {
      void route(req, res, new URL(req.url ?? '/', 'http://localhost'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await postJson(`http://127.0.0.1:${port}/graphql`, { query: '{ a }' });
      expect(response.status).toBe(500);
      expect(response.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      const logged = JSON.parse(lines().trim());
      expect(logged).toMatchObject({ level: 'error', err: { type: 'TypeError' } });
      expect(lines()).not.toContain('440106199001011234');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
