/**
 * Failure isolation: a department that is slow, answers garbage, fails or drops the connection
 * costs only its own fields (SUBGRAPH_UNAVAILABLE at their paths, the rest intact, nothing of the
 * failure's internals shown); the circuit breaker stops calling a dead department and tries it
 * again after its cool-down; and a department killed in the middle of traffic degrades every
 * response gracefully and comes back when it does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { gatewayIdentity, subgraphVerificationKeys } from '../../lib/identity/resolve.ts';
import { defaultOperationsConfig } from '../../lib/operations-config.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import { readSupergraph } from '../../schema/compose.ts';
import { startSubgraph } from '../../subgraphs/runtime/server.ts';
import { storyOf, withConsent } from '../helpers/story.ts';
import { startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import { FaultyProxy, type FaultMode } from './faulty-proxy.ts';
import { postJson } from './helpers.ts';

const MEMBERS = `query($id: ID!) { household(id: $id) {
  id members { id name properties { area } medicalInsurance { scheme } criticalIllness } } }`;

const pathOf = (e: { path?: (string | number)[] }) => (e.path ?? []).join('.');

describe('failure isolation', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let gateway: RunningGateway;
  let medical: FaultyProxy;
  let registry: FaultyProxy;
  let household: string;
  let headers: Record<string, string>;

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(storage, {
      CIRCUIT_BREAKER_FAILURES: '3',
      CIRCUIT_BREAKER_COOLDOWN_MS: '300',
    });
    medical = new FaultyProxy(platform.departments.urls.medical!);
    registry = new FaultyProxy(platform.departments.urls.household!);
    await medical.open();
    await registry.open();
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: storage.dataDir });
    const operations = defaultOperationsConfig('test');
    gateway = await startGateway({
      supergraphSdl: readSupergraph(),
      subgraphUrls: { ...platform.departments.urls, medical: medical.url, household: registry.url },
      // Well under the proxies' 2 s 'slow' answers, well over a healthy call while the whole
      // suite shares two cores (300 ms once timed the registry out mid-suite).
      subgraphTimeoutMs: 1000,
      host: '127.0.0.1',
      port: 0,
      identity: await gatewayIdentity(config),
      store: platform.store,
      audit: platform.audit.writer,
      auditLog: platform.audit.log,
      operations: { ...operations, circuitBreaker: { failureThreshold: 3, cooldownMs: 400 } },
    });
    household = platform.sample!.household;
    headers = await withConsent(storyOf(platform, storage.dataDir), 'civil-affairs', 'tekun');
  });
  afterAll(async () => {
    await gateway?.close();
    await medical?.close();
    await registry?.close();
    await platform?.close();
    await storage?.cleanup();
  });

  const ask = (query = MEMBERS, url = gateway.url) =>
    postJson(url, { query, variables: { id: household } }, headers);

  function expectMedicalMissing(response: Awaited<ReturnType<typeof ask>>) {
    expect(response.status).toBe(200);
    const members = response.body.data.household.members;
    expect(members.length).toBe(platform.sample!.members.length);
    const expected = members.flatMap((_: unknown, i: number) => [
      `household.members.${i}.medicalInsurance`,
      `household.members.${i}.criticalIllness`,
    ]);
    expect(response.body.errors.map(pathOf).sort()).toEqual(expected.sort());
    for (const error of response.body.errors) {
      expect(error.extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
      expect(error.message).toMatch(/medical department did not answer/);
    }
    for (const member of members) {
      expect(member.name).toMatch(/^\p{Script=Han}{2,4}$/u);
      expect(Array.isArray(member.properties)).toBe(true);
      expect(member.medicalInsurance).toBeNull();
      expect(member.criticalIllness).toBeNull();
    }
    expect(response.text).not.toMatch(/10\.0\.0\.7|127\.0\.0\.1|ECONN|exploded|<html>/);
  }

  it('serves everything while the department behaves', async () => {
    const response = await ask();
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.household.members[0].medicalInsurance).not.toBeNull();
  });

  for (const mode of ['slow', 'garbage', 'not-graphql', 'http-500', 'drop'] as FaultMode[]) {
    it(`isolates a department that is ${mode}: its fields only, at their paths`, async () => {
      medical.mode = mode;
      expectMedicalMissing(await ask());
      medical.mode = 'pass';
      expect((await ask()).body.errors).toBeUndefined();
    });
  }

  it('puts a failed root field at its own path and serves the other root fields', async () => {
    registry.mode = 'slow';
    const response = await ask(
      `query($id: ID!) { household(id: $id) { id } disasterEvents(first: 2) { id } }`,
    );
    registry.mode = 'pass';
    expect(response.status).toBe(200);
    expect(response.body.data.household).toBeNull();
    expect(response.body.data.disasterEvents).toHaveLength(2);
    expect(response.body.errors.map(pathOf)).toEqual(['household']);
    expect(response.body.errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
  });

  it('stops calling a dead department after 3 failures, and probes it after the cool-down', async () => {
    medical.mode = 'drop';
    for (let i = 0; i < 3; i++) expectMedicalMissing(await ask());
    const calls = medical.calls;
    expectMedicalMissing(await ask());
    expect(medical.calls).toBe(calls); // refused at once: the circuit is open
    const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(metrics).toMatch(
      /gateway_subgraph_errors_total\{subgraph="medical",reason="circuit_open"\} [1-9]/,
    );
    expect(metrics).toMatch(/gateway_subgraph_circuit_state\{subgraph="medical"\} 2/);

    medical.mode = 'pass';
    await new Promise((r) => setTimeout(r, 500));
    const recovered = await ask();
    expect(recovered.body.errors).toBeUndefined();
    expect(medical.calls).toBe(calls + 1);
  });

  it('degrades gracefully when a department is killed mid-run, and recovers when it returns', async () => {
    const query = `query($id: ID!) { household(id: $id) { id members { id name } disasterDamage { severity } reliefReceived { amount } } }`;
    const disaster = platform.departments.departments.find(
      (d) => d.definition.name === 'disaster',
    )!;
    const port = disaster.server.port;
    const results: Awaited<ReturnType<typeof ask>>[] = [];
    let sent = 0;
    const worker = async () => {
      while (sent < 40) {
        sent += 1;
        if (sent === 12) await disaster.server.close();
        results.push(await ask(query, platform.gateway.url));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(results).toHaveLength(40);
    let partial = 0;
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body.data.household.members.length).toBe(platform.sample!.members.length);
      for (const e of r.body.errors ?? []) {
        expect(e.extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
        expect(['household.disasterDamage', 'household.reliefReceived']).toContain(pathOf(e));
      }
      if (r.body.errors) partial += 1;
    }
    expect(partial).toBeGreaterThan(0);

    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: storage.dataDir });
    disaster.server = await startSubgraph(disaster.definition, disaster.database, {
      host: '127.0.0.1',
      port,
      accessKeys: await subgraphVerificationKeys(config),
    });
    let back = false;
    for (const deadline = Date.now() + 5000; !back && Date.now() < deadline;) {
      back = (await ask(query, platform.gateway.url)).body.errors === undefined;
      if (!back) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(true);
  });
});
