/**
 * A department accepts each signed access context once, for the call it was signed for: a body
 * read off the wire and sent again, the same context with other variables, or an expired one
 * are refused (401) and answer nothing. Replicas of a department that share Redis refuse a
 * context any of them accepted; while Redis cannot be read, they refuse every call (503).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryHash, signAccessContext, variablesHash } from '../../schema/access-context.ts';
import { sampleHouseholds } from '../../subgraphs/household/sample.ts';
import { RedisReplayCache } from '../../subgraphs/runtime/redis-replay-cache.ts';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/runtime/server.ts';
import type { LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';
import { fullAccess, testGatewayKeys } from '../helpers/access.ts';
import { launchTestDepartments, testStorage, type TestStorage } from '../helpers/platform.ts';
import { redisUrl, untilConnected } from '../helpers/services.ts';

const QUERY = 'query($id: ID!) { household(id: $id) { id address } }';

async function post(url: string, body: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

/** The body a gateway sends: the call and its signed context. */
async function signedBody(variables: Record<string, unknown>): Promise<string> {
  const accessContext = await signAccessContext(
    fullAccess(),
    'household',
    QUERY,
    variables,
    testGatewayKeys.privateKey,
  );
  return JSON.stringify({ query: QUERY, variables, extensions: { accessContext } });
}

const withVariables = (body: string, variables: Record<string, unknown>) =>
  JSON.stringify({ ...JSON.parse(body), variables });

describe('access-context replay', () => {
  let storage: TestStorage;
  let launched: LaunchedDepartments;
  let url: string;
  let households: string[];

  beforeAll(async () => {
    storage = testStorage();
    launched = await launchTestDepartments(storage, ['household']);
    url = launched.urls.household!;
    const db = launched.departments[0]!.database.db;
    households = (await sampleHouseholds(db, 2)).map((h) => h.household);
  }, 120_000);
  afterAll(async () => {
    await launched?.close();
    await storage?.cleanup();
  });

  it('answers a context once: the same body sent again is refused, with nothing read', async () => {
    const body = await signedBody({ id: households[0] });
    const first = await post(url, body);
    expect(first.status).toBe(200);
    expect(first.body.data.household.id).toBe(households[0]);
    const again = await post(url, body);
    expect(again.status).toBe(401);
    expect(again.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(again.body.data).toBeUndefined();
    expect(again.text).not.toContain(households[0]);
    // A fresh context for the same call is a new call.
    expect((await post(url, await signedBody({ id: households[0] }))).status).toBe(200);
  });

  it('refuses a context sent with other variables (someone else) before it was ever used', async () => {
    const body = await signedBody({ id: households[0] });
    for (const variables of [{ id: households[1] }, { id: households[0], extra: 1 }, {}]) {
      const response = await post(url, withVariables(body, variables));
      expect(response.status).toBe(401);
      expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(response.text).not.toContain(households[1]);
    }
    // Refusals do not use the context up: the call it was signed for still goes through.
    expect((await post(url, body)).status).toBe(200);
  });

  it('refuses an expired context', async () => {
    const now = Math.floor(Date.now() / 1000);
    const variables = { id: households[0] };
    const accessContext = await new SignJWT({
      ctx: fullAccess(),
      qh: queryHash(QUERY),
      vh: variablesHash(JSON.stringify(variables)),
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'access-context+jwt' })
      .setIssuer('gd-assistance-gateway')
      .setAudience('subgraph:household')
      .setJti(randomUUID())
      .setIssuedAt(now - 30)
      .setExpirationTime(now - 10)
      .sign(testGatewayKeys.privateKey);
    const response = await post(
      url,
      JSON.stringify({ query: QUERY, variables, extensions: { accessContext } }),
    );
    expect(response.status).toBe(401);
    expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  describe.skipIf(!redisUrl)('across replicas sharing Redis', () => {
    const keyPrefix = `test-${process.pid}-${randomUUID()}:`;
    const caches: RedisReplayCache[] = [];
    const replicas: RunningSubgraph[] = [];

    const replica = async (cache: RedisReplayCache) => {
      caches.push(cache);
      const { definition, database } = launched.departments[0]!;
      const running = await startSubgraph(definition, database, {
        host: '127.0.0.1',
        port: 0,
        accessKeys: testGatewayKeys.publicKey,
        replayCache: cache,
      });
      replicas.push(running);
      return running.url;
    };

    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.close()));
      await Promise.all(caches.map((c) => c.close()));
    });

    it('refuses on one replica a context another accepted', async () => {
      const [a, b] = [
        new RedisReplayCache(redisUrl!, { keyPrefix }),
        new RedisReplayCache(redisUrl!, { keyPrefix }),
      ];
      await Promise.all([untilConnected(a), untilConnected(b)]);
      const [urlA, urlB] = [await replica(a), await replica(b)];
      const body = await signedBody({ id: households[0] });
      expect((await post(urlA, body)).status).toBe(200);
      const replayed = await post(urlB, body);
      expect(replayed.status).toBe(401);
      expect(replayed.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      // Sent to both at once, exactly one answers.
      const twice = await signedBody({ id: households[1] });
      const statuses = (await Promise.all([post(urlA, twice), post(urlB, twice)])).map(
        (r) => r.status,
      );
      expect(statuses.sort()).toEqual([200, 401]);
    });

    it('refuses every call while Redis cannot be read (fail closed)', async () => {
      // Nothing listens on port 1: the cache's commands fail at once.
      const down = new RedisReplayCache('redis://127.0.0.1:1');
      const urlDown = await replica(down);
      const response = await post(urlDown, await signedBody({ id: households[0] }));
      expect(response.status).toBe(503);
      expect(response.body.errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
      expect(response.text).not.toContain(households[0]);
    });
  });
});
