/**
 * Revocations are kept in the platform's database and survive a gateway restart (the in-memory
 * store's view is rebuilt from it at start); the first revocation's time, author and reason are
 * the ones kept; the ledger works the same on embedded SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPostgresSchema, openDatabase } from '../../lib/db.ts';
import { migrate } from '../../subgraphs/runtime/migrate.ts';
import { auditMigrations } from '../../gateway/audit/audit-tables.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { RevocationLedger } from '../../gateway/revocations/revocation-ledger.ts';
import { DurableRevocationStore } from '../../gateway/revocations/durable-store.ts';
import { consentResolvers } from '../../gateway/platform-graph/consent-resolvers.ts';
import { MemoryStore, RedisStore } from '../../lib/store/index.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import { ThrowawayRedis, redisServerAvailable } from '../helpers/throwaway-redis.ts';
import { postgresUrl } from '../helpers/services.ts';
import { startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import { consentedRead, refusal } from '../helpers/revocation.ts';

describe('a revocation across a gateway restart (in-memory store)', () => {
  let storage: TestStorage;
  let platform: RunningPlatform | undefined;

  beforeAll(() => {
    storage = testStorage();
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  it('is still refused with CONSENT_REVOKED after the restart, with its first reason kept', async () => {
    platform = await startTestPlatform(storage);
    const sample = platform.sample!;
    const consent = await consentedRead(storage.dataDir, sample, `restart-${process.pid}`);
    expect((await consent.read(platform.gateway.url)).body.errors).toBeUndefined();
    const first = await consent.revoke(platform.gateway.url);
    expect(first.body.errors).toBeUndefined();
    const again = await consent.revoke(platform.gateway.url, 'a second, later reason');
    expect(again.body.data.revokeConsent).toEqual(first.body.data.revokeConsent);

    await platform.close();
    platform = await startTestPlatform(storage);
    const after = await consent.read(platform.gateway.url);
    expect(refusal(after, sample.members)).toBe('CONSENT_REVOKED');
    const kept = await consent.revoke(platform.gateway.url, 'after the restart');
    expect(kept.body.data.revokeConsent).toEqual(first.body.data.revokeConsent);
  });
});

const dialects = [
  { name: 'embedded SQLite', url: undefined },
  ...(postgresUrl ? [{ name: 'PostgreSQL', url: postgresUrl }] : []),
];

describe.each(dialects)('the revocation ledger on $name', ({ url }) => {
  const storage = testStorage(url);
  const name = `${storage.databasePrefix}platform`;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  let ledger: RevocationLedger;

  beforeAll(async () => {
    database = await openDatabase({ name, dataDir: storage.dataDir, databaseUrl: url });
    await migrate(database as never, auditMigrations);
    ledger = new RevocationLedger(database);
  });
  afterAll(async () => {
    await database?.close();
    if (url) await dropPostgresSchema(url, name);
    await storage.cleanup();
  });

  const revocation = (consentId: string, reason: string) => ({
    consentId,
    revokedAt: new Date().toISOString(),
    revokedBy: 'consent-authority/desk-1',
    reason,
  });

  it('keeps the first revocation of a consent, and gives it back as kept', async () => {
    const expiresAt = Date.now() + 60_000;
    const original = revocation('c-1', 'first');
    const first = await ledger.record(original, expiresAt);
    const second = await ledger.record(revocation('c-1', 'second'), expiresAt + 1000);
    expect(second).toEqual(first);
    expect(first).toEqual({ record: original, expiresAt });
    expect((await ledger.find('c-1'))?.record.reason).toBe('first');
  });

  it('lists the unexpired revocations and forgets the expired ones', async () => {
    const now = Date.now();
    await ledger.record(revocation('c-live', 'live'), now + 60_000);
    await ledger.record(revocation('c-dead', 'dead'), now - 1);
    const ids = (await ledger.unexpired(now)).map((r) => r.record.consentId);
    expect(ids).toContain('c-live');
    expect(ids).not.toContain('c-dead');
    expect(await ledger.find('c-dead')).toBeNull();
  });
});

/** The platform's database, migrated, in a fresh folder. */
async function platformDatabase() {
  const storage = testStorage();
  const database = await openDatabase({ name: 'platform', dataDir: storage.dataDir });
  await migrate(database as never, auditMigrations);
  return { database, storage };
}

const authority = {
  access: { caller: { dept: 'consent-authority', sub: 'desk-1' } },
} as unknown as GatewayContext;

describe('revoking when the database or Redis fails', () => {
  it('refuses with CONSENT_STATUS_UNAVAILABLE, and nothing takes effect, when the database fails', async () => {
    const { database, storage } = await platformDatabase();
    const view = new MemoryStore();
    const store = new DurableRevocationStore(view, new RevocationLedger(database));
    await database.close();
    const { Mutation } = consentResolvers(store);
    const failure = await Mutation.revokeConsent(
      null,
      { id: 'consent-db-down', reason: 'withdrawn' },
      authority,
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ extensions: { code: 'CONSENT_STATUS_UNAVAILABLE' } });
    expect((failure as Error).message).not.toMatch(/consent-db-down|database|sqlite/i);
    expect(await view.revokedAmong(['consent-db-down'])).toEqual(new Set());
    await storage.cleanup();
  });

  it.skipIf(!redisServerAvailable)(
    'acknowledges a revocation recorded while Redis is down, and Redis has it once back',
    async () => {
      const { database, storage } = await platformDatabase();
      const redis = await ThrowawayRedis.start();
      const store = new DurableRevocationStore(
        new RedisStore(redis.url),
        new RevocationLedger(database),
        { retryMs: 50 },
      );
      try {
        await until(() =>
          store.rebuild().then(
            () => true,
            () => false,
          ),
        );
        await redis.stop();
        const { Mutation } = consentResolvers(store);
        const revoked = await Mutation.revokeConsent(
          null,
          { id: 'consent-redis-down', reason: 'withdrawn' },
          authority,
        );
        expect(revoked).toMatchObject({ consentId: 'consent-redis-down', reason: 'withdrawn' });
        await expect(store.revokedAmong(['consent-redis-down'])).rejects.toThrow();
        await redis.launch();
        const seen = await until(() =>
          store.revokedAmong(['consent-redis-down']).then(
            (ids) => ids.has('consent-redis-down'),
            () => false,
          ),
        );
        expect(seen).toBe(true);
      } finally {
        await store.close();
        await redis.stop();
        await database.close();
        await storage.cleanup();
      }
    },
  );
});

/** Calls until it resolves true, for up to five seconds. */
async function until(call: () => Promise<boolean>): Promise<boolean> {
  for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
    if (await call()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
