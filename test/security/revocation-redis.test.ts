/**
 * Revocation across gateway replicas through the real Redis, and failing closed while Redis is
 * unreachable (through a TCP proxy the test can cut), recovering by itself when it returns.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../lib/store/index.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import { consentFor, headersFor } from '../helpers/callers.ts';
import { redisUrl, untilConnected } from '../helpers/services.ts';
import {
  gql,
  startReplicaGateway,
  startTestPlatform,
  testStorage,
  type TestStorage,
} from '../helpers/platform.ts';

const QUERY = `query($id: ID!) { household(id: $id) { members { birthDate } } }`;

/** A TCP proxy in front of Redis that the test can cut and restore on the same port. */
class CuttableProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe.skipIf(!redisUrl)('consent revocation through Redis', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let second: RunningGateway;
  let secondStore: RedisStore;
  let household: string;
  let members: string[];
  const prefix = `test-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(storage, { REDIS_URL: redisUrl! });
    secondStore = new RedisStore(redisUrl!);
    second = await startReplicaGateway(platform, storage, secondStore);
    await untilConnected(secondStore);
    household = platform.sample!.household;
    members = platform.sample!.members;
  });
  afterAll(async () => {
    await second?.close();
    await secondStore?.close();
    await platform?.close();
    await storage?.cleanup();
  });

  const caseworker = async (id: string) => {
    const consent = await consentFor(storage.dataDir, {
      id,
      household,
      subjects: members,
      grantees: ['civil-affairs'],
      purpose: 'dibao',
    });
    return headersFor(storage.dataDir, {
      dept: 'civil-affairs',
      purpose: 'dibao',
      consents: [consent],
    });
  };

  it('a consent revoked on one replica is refused by the other within a second', async () => {
    const id = `${prefix}-a`;
    const headers = await caseworker(id);
    const before = await gql(second.url, QUERY, { id: household }, headers);
    expect(before.body.errors).toBeUndefined();
    const authority = await headersFor(storage.dataDir, {
      dept: 'consent-authority',
      operator: null,
    });
    const revoked = await gql(
      platform.gateway.url,
      `mutation($id: ID!) { revokeConsent(id: $id, reason: "withdrawn at the counter") { consentId } }`,
      { id },
      authority,
    );
    expect(revoked.body.data.revokeConsent.consentId).toBe(id);
    const revokedAt = Date.now();
    let code: string | undefined;
    while (Date.now() - revokedAt < 1000 && code !== 'CONSENT_REVOKED') {
      const after = await gql(second.url, QUERY, { id: household }, headers);
      code = after.body.errors?.[0]?.extensions?.code;
      if (code === 'CONSENT_REVOKED') expect(after.body.data.household.members).toBeNull();
    }
    expect(code).toBe('CONSENT_REVOKED');
  });

  it('refuses consent-guarded data while Redis is unreachable, and recovers when it returns', async () => {
    const target = new URL(redisUrl!);
    const proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 6379) });
    await proxy.open();
    const store = new RedisStore(`redis://127.0.0.1:${proxy.port}`);
    const gateway = await startReplicaGateway(platform, storage, store);
    try {
      await untilConnected(store);
      const headers = await caseworker(`${prefix}-b`);
      const ok = await gql(gateway.url, QUERY, { id: household }, headers);
      expect(ok.body.errors).toBeUndefined();

      await proxy.cut();
      const down = await gql(gateway.url, QUERY, { id: household }, headers);
      expect(down.status).toBe(200);
      expect(down.body.data.household.members).toBeNull();
      expect(down.body.errors[0].extensions.code).toBe('CONSENT_STATUS_UNAVAILABLE');
      for (const m of members) expect(down.text).not.toContain(m.slice(6, 14));

      await proxy.open();
      const deadline = Date.now() + 5000;
      let recovered = false;
      while (!recovered && Date.now() < deadline) {
        const again = await gql(gateway.url, QUERY, { id: household }, headers);
        recovered = again.body.errors === undefined;
        if (!recovered) await new Promise((r) => setTimeout(r, 100));
      }
      expect(recovered).toBe(true);
    } finally {
      await gateway.close();
      await store.close();
      await proxy.cut().catch(() => undefined);
    }
  });
});
