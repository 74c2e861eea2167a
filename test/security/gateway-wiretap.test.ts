/**
 * The attack the access context must withstand: someone on the path between the gateway and a
 * department records the gateway's calls and sends them again, as they are or with other
 * variables (other people). A wiretap in front of the medical department records the real
 * gateway's bodies; sent again they read nothing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { gatewayIdentity } from '../../lib/identity/resolve.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import { readSupergraph } from '../../schema/compose.ts';
import { sampleHouseholds } from '../../subgraphs/household/sample.ts';
import { storyOf, withConsent } from '../helpers/story.ts';
import { startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import { postJson } from '../operations/helpers.ts';

const MEMBERS = `query($id: ID!) { household(id: $id) { id members { id medicalInsurance { scheme } } } }`;

/**
 * Passes calls through to `target` and keeps every request body; while `holding`, keeps them
 * without passing them on (someone in the middle who holds the gateway's call back).
 */
async function wiretap(target: string) {
  const bodies: string[] = [];
  const tap = { holding: false };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      bodies.push(body);
      if (tap.holding) return res.writeHead(502).end();
      void fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(await answer.text());
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return Object.assign(tap, {
    url,
    bodies,
    close: () => new Promise((resolve) => server.close(resolve)),
  });
}

const resend = async (url: string, body: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, text: await response.text() };
};

describe('a wiretap between the gateway and a department', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let gateway: RunningGateway;
  let tap: Awaited<ReturnType<typeof wiretap>>;
  let headers: Record<string, string>;

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(storage);
    tap = await wiretap(platform.departments.urls.medical!);
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: storage.dataDir });
    gateway = await startGateway({
      supergraphSdl: readSupergraph(),
      subgraphUrls: { ...platform.departments.urls, medical: tap.url },
      subgraphTimeoutMs: 5000,
      host: '127.0.0.1',
      port: 0,
      identity: await gatewayIdentity(config),
      store: platform.store,
      audit: platform.audit.writer,
      auditLog: platform.audit.log,
    });
    headers = await withConsent(storyOf(platform, storage.dataDir), 'civil-affairs', 'tekun');
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    await tap?.close();
    await platform?.close();
    await storage?.cleanup();
  });

  const ask = (household: string) =>
    postJson(gateway.url, { query: MEMBERS, variables: { id: household } }, headers);

  it('cannot send a recorded call again', async () => {
    const household = platform.sample!.household;
    const answer = await ask(household);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.household.members[0].medicalInsurance).not.toBeUndefined();
    expect(tap.bodies).toHaveLength(1);
    const recorded = tap.bodies[0]!;
    const medical = platform.departments.urls.medical!;

    const replayed = await resend(medical, recorded);
    expect(replayed.status).toBe(401);
    expect(JSON.parse(replayed.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(replayed.text).not.toContain('scheme');
  });

  it('cannot use a held-back call for other people', async () => {
    const household = platform.sample!.household;
    const db = platform.departments.departments.find((d) => d.definition.name === 'household')!
      .database.db;
    const other = (await sampleHouseholds(db, 2)).find((h) => h.household !== household)!;
    tap.bodies.length = 0;
    tap.holding = true;
    try {
      await ask(household);
    } finally {
      tap.holding = false;
    }
    // Never used: the department has not seen it.
    const held = tap.bodies[0]!;
    const medical = platform.departments.urls.medical!;
    const call = JSON.parse(held);
    call.variables.representations = other.members.map((id) => ({ __typename: 'Person', id }));
    const retargeted = await resend(medical, JSON.stringify(call));
    expect(retargeted.status).toBe(401);
    expect(JSON.parse(retargeted.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const id of other.members) expect(retargeted.text).not.toContain(id);
    // The call it was signed for still goes through, once.
    expect((await resend(medical, held)).status).toBe(200);
    expect((await resend(medical, held)).status).toBe(401);
  });
});
