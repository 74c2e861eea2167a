/**
 * The shared store's faults, on a redis-server of the test's own (without persistence): a Redis
 * that restarts comes back empty, and every replica rebuilds its revocation view from the
 * platform's database before it honours a consent again; a hung Redis opens the store's circuit
 * breaker, so requests are refused at once (CONSENT_STATUS_UNAVAILABLE) instead of each waiting
 * out the store's timeouts, and the gateway recovers by itself when Redis answers again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import type { DurableRevocationStore } from '../../gateway/revocations/durable-store.ts';
import { createSharedState, rebuildAtStart } from '../../gateway/revocations/shared-state.ts';
import {
  startReplicaGateway,
  startTestPlatform,
  testStorage,
  type TestStorage,
} from '../helpers/platform.ts';
import { consentedRead, refusal } from '../helpers/revocation.ts';
import { ThrowawayRedis, redisServerAvailable } from '../helpers/throwaway-redis.ts';

/** Well below one store command's timeout (500 ms): no request waits on the hung store. */
const FAST_MS = 250;

const BREAKER = { STORE_CIRCUIT_BREAKER_FAILURES: '3', STORE_CIRCUIT_BREAKER_COOLDOWN_MS: '3000' };

describe.skipIf(!redisServerAvailable)('the shared store failing', () => {
  let storage: TestStorage;
  let redis: ThrowawayRedis;
  let platform: RunningPlatform;
  let replica: RunningGateway;
  let replicaStore: DurableRevocationStore;

  beforeAll(async () => {
    storage = testStorage();
    redis = await ThrowawayRedis.start();
    const env = { REDIS_URL: redis.url, ...BREAKER };
    platform = await startTestPlatform(storage, env);
    // A second replica: its own Redis connection and breaker, the same platform database.
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: storage.dataDir, ...env });
    replicaStore = createSharedState({
      redisUrl: redis.url,
      database: platform.audit.log.database,
      storeCircuitBreaker: config.operations.storeCircuitBreaker,
    });
    await rebuildAtStart(replicaStore);
    replica = await startReplicaGateway(platform, storage, replicaStore, env);
  });
  afterAll(async () => {
    await replica?.close();
    await replicaStore?.close();
    await platform?.close();
    await redis?.stop();
    await storage?.cleanup();
  });

  /** Reads until the gateway settles on a refusal code; every read on the way must be refused. */
  async function settledRefusal(url: string, read: () => Promise<unknown>, members: string[]) {
    const deadline = Date.now() + 5000;
    let code: string | undefined;
    do {
      code = refusal((await read()) as never, members);
      expect(code, `served at ${url}`).toBeDefined();
      if (code === 'CONSENT_REVOKED') return code;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < deadline);
    return code;
  }

  it('keeps a revocation across a Redis restart that loses everything', async () => {
    const { members } = platform.sample!;
    const consent = await consentedRead(storage.dataDir, platform.sample!, 'redis-restart');
    await expect(until(async () => (await consent.read(replica.url)).body.errors)).resolves.toBe(
      undefined,
    );
    expect((await consent.revoke(platform.gateway.url)).body.errors).toBeUndefined();
    await redis.restart();
    for (const url of [platform.gateway.url, replica.url]) {
      expect(await settledRefusal(url, () => consent.read(url), members)).toBe('CONSENT_REVOKED');
    }
  });

  it('refuses at once while Redis hangs, and recovers when it answers again', async () => {
    const { members } = platform.sample!;
    const consent = await consentedRead(storage.dataDir, platform.sample!, 'redis-hang');
    await expect(until(async () => (await consent.read(replica.url)).body.errors)).resolves.toBe(
      undefined,
    );
    redis.pause();
    try {
      // The first calls wait out the store's timeout until the breaker opens.
      let elapsed = Infinity;
      for (let i = 0; i < 6 && elapsed >= FAST_MS; i++)
        elapsed = await timed(() => consent.read(replica.url));
      expect(elapsed).toBeLessThan(FAST_MS);
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const result = await consent.read(replica.url);
        expect(performance.now() - started).toBeLessThan(FAST_MS);
        expect(refusal(result, members)).toBe('CONSENT_STATUS_UNAVAILABLE');
      }
    } finally {
      redis.resume();
    }
    // After the cool-down one request probes the store; it answers, and consents work again.
    await expect(
      until(async () => (await consent.read(replica.url)).body.errors, 10_000),
    ).resolves.toBe(undefined);
  });
});

async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

/** Calls until it returns undefined (or the time is up, returning the last value). */
async function until<T>(call: () => Promise<T>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await call();
  while (value !== undefined && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await call();
  }
  return value;
}
