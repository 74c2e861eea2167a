/**
 * Two gateway replicas on the same departments sharing the real Redis: a consent revoked through
 * one is refused by the other within a second, and a client's rate limit counts its requests on
 * both. Also Redis's fixed-window counters on their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../lib/store/index.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import { consentFor } from '../helpers/callers.ts';
import { redisUrl, untilConnected } from '../helpers/services.ts';
import {
  startReplicaGateway,
  startTestPlatform,
  testStorage,
  type TestStorage,
} from '../helpers/platform.ts';
import { callerHeaders, postJson } from './helpers.ts';

const QUERY = `query($id: ID!) { household(id: $id) { members { birthDate } } }`;

describe.skipIf(!redisUrl)('two gateway replicas sharing Redis', () => {
  const run = `ops-${process.pid}-${Date.now()}`;
  let storage: TestStorage;
  let platform: RunningPlatform;
  let replica: RunningGateway;
  let replicaStore: RedisStore;

  beforeAll(async () => {
    storage = testStorage();
    const env = { REDIS_URL: redisUrl!, RATE_LIMIT_PER_CLIENT: '4' };
    platform = await startTestPlatform(storage, env, { rateLimitNamespace: run });
    replicaStore = new RedisStore(redisUrl!);
    await untilConnected(replicaStore);
    replica = await startReplicaGateway(platform, storage, replicaStore, env, run);
  });
  afterAll(async () => {
    await replica?.close();
    await replicaStore?.close();
    await platform?.close();
    await storage?.cleanup();
  });

  it('refuses on one replica a consent revoked through the other, within a second', async () => {
    const { household, members } = platform.sample!;
    const id = `${run}-consent`;
    const consent = await consentFor(storage.dataDir, {
      id,
      household,
      subjects: members,
      grantees: ['civil-affairs'],
      purpose: 'dibao',
    });
    const headers = await callerHeaders(
      storage.dataDir,
      'civil-affairs',
      { 'x-purpose': 'dibao', 'x-consent-token': consent },
      `${run}-caseworker`,
    );
    const before = await postJson(
      replica.url,
      { query: QUERY, variables: { id: household } },
      headers,
    );
    expect(before.body.errors).toBeUndefined();
    const authority = await callerHeaders(
      storage.dataDir,
      'consent-authority',
      {},
      `${run}-authority`,
    );
    const revoked = await postJson(
      platform.gateway.url,
      {
        query: `mutation($id: ID!) { revokeConsent(id: $id, reason: "withdrawn at the counter") { consentId } }`,
        variables: { id },
      },
      authority,
    );
    expect(revoked.body.data.revokeConsent.consentId).toBe(id);
    const revokedAt = Date.now();
    let after: Awaited<ReturnType<typeof postJson>> | undefined;
    while (Date.now() - revokedAt < 1000) {
      after = await postJson(replica.url, { query: QUERY, variables: { id: household } }, headers);
      if (after.body.errors?.[0]?.extensions?.code === 'CONSENT_REVOKED') break;
    }
    expect(after!.body.errors[0].extensions.code).toBe('CONSENT_REVOKED');
    expect(after!.body.data.household.members).toBeNull();
  });

  it('counts a client against one limit on both replicas', async () => {
    const headers = await callerHeaders(storage.dataDir, 'education', {}, `${run}-burst`);
    const statuses: number[] = [];
    for (const target of [platform.gateway.url, replica.url, platform.gateway.url, replica.url]) {
      statuses.push((await postJson(target, { query: '{ __typename }' }, headers)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    for (const target of [platform.gateway.url, replica.url]) {
      const refused = await postJson(target, { query: '{ __typename }' }, headers);
      expect(refused.status).toBe(429);
      expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('keeps fixed-window counters in Redis that start again when the window ends', async () => {
    const key = `${run}:window`;
    const [first] = await replicaStore.hitCounters([{ key, windowMs: 300 }]);
    const [second] = await replicaStore.hitCounters([{ key, windowMs: 300 }]);
    expect(first!.count).toBe(1);
    expect(second!.count).toBe(2);
    expect(second!.resetInMs).toBeGreaterThan(0);
    expect(second!.resetInMs).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 350));
    const [third] = await replicaStore.hitCounters([{ key, windowMs: 300 }]);
    expect(third!.count).toBe(1);
  });
});
