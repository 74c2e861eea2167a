/**
 * Logs, metrics, rate limits and readiness on a running platform. A mixed run (reads with
 * consents, denials, bad inputs, an unauthenticated caller, a citizen, an over-complex query, a
 * rate-limited client) is logged to a buffer, which must hold one structured line per request and
 * none of the population's identity numbers or names, nor any token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDepartmentToken } from '../../lib/identity/dev-tokens.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { HOUSEHOLD_QUERY } from '../../gateway/sample-query.ts';
import { consentFor } from '../helpers/callers.ts';
import { startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import { bufferedLogger, callerHeaders, postJson, testPopulation } from './helpers.ts';

describe('observability', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let url: string;
  let logs: () => string;
  const secrets: string[] = [];

  beforeAll(async () => {
    storage = testStorage();
    const buffered = bufferedLogger();
    logs = buffered.lines;
    platform = await startTestPlatform(
      storage,
      { RATE_LIMIT_PER_CLIENT: '20', MAX_QUERY_DEPTH: '6' },
      { logger: buffered.logger },
    );
    url = platform.gateway.url;
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  const remember = (headers: Record<string, string>) => {
    secrets.push(headers.authorization!.slice('Bearer '.length));
    if (headers['x-consent-token']) secrets.push(headers['x-consent-token']);
    return headers;
  };

  it('logs a mixed run without any personal data or token', async () => {
    const { household, members } = platform.sample!;
    const people = testPopulation();
    const named = people.find((p) => p.id === members[0])!;
    const consent = await consentFor(storage.dataDir, {
      household,
      subjects: members,
      grantees: ['civil-affairs'],
      purpose: 'tekun',
    });
    const withConsent = remember(
      await callerHeaders(storage.dataDir, 'civil-affairs', {
        'x-purpose': 'tekun',
        'x-consent-token': consent,
        'x-request-id': 'obs-read-1',
      }),
    );
    const without = remember(
      await callerHeaders(storage.dataDir, 'civil-affairs', { 'x-purpose': 'dibao' }),
    );
    const emergency = remember(
      await callerHeaders(storage.dataDir, 'emergency-management', {
        'x-purpose': 'emergency',
        'x-access-reason': encodeURIComponent(`${named.name} 受台风困于家中, ${named.id}`),
      }),
    );
    const citizenToken = await issueDepartmentToken(storage.dataDir, {
      dept: 'citizen',
      sub: members[0]!,
      roles: ['citizen'],
    });
    const citizen = remember({ authorization: `Bearer ${citizenToken}` });

    const read = await postJson(
      url,
      { query: HOUSEHOLD_QUERY, variables: { id: household } },
      withConsent,
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.text).toContain(named.name); // the response has names; the log must not
    const batch = `query People($ids: [ID!]!) { persons(ids: $ids) { id name birthDate } }`;
    await postJson(url, { query: batch, variables: { ids: members } }, withConsent);
    const denied = await postJson(url, { query: batch, variables: { ids: members } }, without);
    expect(denied.body.errors[0].extensions.code).toBe('CONSENT_REQUIRED');
    await postJson(url, { query: 'query { person(id: "440106199001011235") { name } }' }, without);
    await postJson(url, { query: HOUSEHOLD_QUERY, variables: { id: household } }, emergency);
    await postJson(
      url,
      { query: `query Lookup${named.id.slice(0, 17)} { person(id: "${named.id}") { name } }` },
      withConsent,
    );
    await postJson(url, { query: HOUSEHOLD_QUERY, variables: { id: household } }, citizen);
    await postJson(
      url,
      { query: HOUSEHOLD_QUERY, variables: { id: household } },
      {
        authorization: `Bearer ${secrets[0]!.slice(0, -4)}AAAA`,
      },
    );
    const deep = `query($id: ID!) { household(id: $id) { head { household { head { household { head { id } } } } } } }`;
    const tooDeep = await postJson(url, { query: deep, variables: { id: household } }, withConsent);
    expect(tooDeep.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');

    const text = logs();
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.length).toBe(9);
    expect(requests[0]).toMatchObject({
      level: 'info',
      requestId: 'obs-read-1',
      department: 'civil-affairs',
      client: 'civil-affairs-dev-client',
      operation: 'Household',
      status: 200,
      outcome: 'ok',
    });
    expect(typeof requests[0].latencyMs).toBe('number');
    expect(requests[2]).toMatchObject({ outcome: 'partial' });
    expect(requests[2].codes.CONSENT_REQUIRED).toBeGreaterThan(0);
    expect(requests.find((r) => r.department === 'citizen')?.client).toBe('citizen');
    expect(requests.some((r) => r.status === 401 && r.codes.UNAUTHENTICATED === 1)).toBe(true);
    expect(requests.at(-1)).toMatchObject({ status: 400, codes: { QUERY_TOO_COMPLEX: 1 } });

    for (const person of people) {
      expect(text).not.toContain(person.id);
      expect(text).not.toContain(person.id.slice(0, 17));
      expect(text).not.toContain(person.name);
    }
    for (const secret of secrets) expect(text).not.toContain(secret.slice(-40));
    expect(text).not.toMatch(/受台风|officer-001|tekun/);
  });

  it('answers a client over its rate limit with 429, Retry-After and retryAfterSeconds', async () => {
    const headers = await callerHeaders(storage.dataDir, 'housing', {}, 'burst-client');
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof postJson>> | undefined;
    for (let i = 0; i < 21; i++) {
      const response = await postJson(url, { query: '{ __typename }' }, headers);
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(refused!.body.data).toBeUndefined();
    expect(refused!.body.errors[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      scope: 'client',
    });
    const retryAfter = refused!.body.errors[0].extensions.retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(0);
    expect(refused!.headers.get('retry-after')).toBe(String(retryAfter));
    // Another client of the same department is not held back.
    const other = await callerHeaders(storage.dataDir, 'housing', {}, 'calm-client');
    expect((await postJson(url, { query: '{ __typename }' }, other)).status).toBe(200);
  });

  it('exposes Prometheus metrics for requests, codes, consents, departments and the audit', async () => {
    const response = await fetch(new URL('/metrics', url));
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/gateway_requests_total\{outcome="ok",department="civil-affairs"\} \d+/);
    expect(text).toMatch(/gateway_requests_total\{outcome="rejected",department="unknown"\} \d+/);
    expect(text).toMatch(/gateway_request_duration_seconds_bucket\{le="0.1",outcome="ok"\}/);
    expect(text).toMatch(/gateway_errors_total\{code="CONSENT_REQUIRED"\} \d+/);
    expect(text).toMatch(/gateway_errors_total\{code="RATE_LIMITED"\} 1/);
    expect(text).toMatch(/gateway_consent_checks_total\{result="granted"\} \d+/);
    expect(text).toMatch(/gateway_rate_limited_total\{scope="client"\} 1/);
    expect(text).toMatch(/gateway_operation_limit_refusals_total\{limit="depth"\} 1/);
    expect(text).toMatch(
      /gateway_subgraph_request_duration_seconds_count\{subgraph="household",outcome="ok"\} [1-9]/,
    );
    expect(text).toMatch(/gateway_audit_flush_duration_seconds_count [1-9]/);
    expect(text).toMatch(/gateway_audit_group_records_sum [1-9]/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    for (const member of platform.sample!.members) expect(text).not.toContain(member);
  });

  it('reports health, and readiness naming what is not ready', async () => {
    const health = await fetch(new URL('/healthz', url));
    expect(health.status).toBe(200);
    const ready = await fetch(new URL('/readyz', url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { supergraph: 'loaded', store: 'reachable', subgraphs: { household: 'reachable' } },
    });

    const employment = platform.departments.departments.find(
      (d) => d.definition.name === 'employment',
    )!;
    await employment.server.close();
    let report: any;
    for (const deadline = Date.now() + 3000; Date.now() < deadline;) {
      const response = await fetch(new URL('/readyz', url));
      report = { ...(await response.json()), http: response.status };
      if (report.http === 503) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(report).toMatchObject({
      http: 503,
      status: 'not ready',
      checks: { subgraphs: { employment: 'unreachable', household: 'reachable' } },
      problems: ['subgraph employment unreachable'],
    });
  });

  // Last: it closes the access log's database.
  it('logs why an access record could not be written, and nothing personal', async () => {
    const { household, members } = platform.sample!;
    await platform.audit.log.database.close();
    const headers = await callerHeaders(
      storage.dataDir,
      'civil-affairs',
      { 'x-purpose': 'dibao' },
      'audit-failure-client',
    );
    const refused = await postJson(
      url,
      { query: HOUSEHOLD_QUERY, variables: { id: household } },
      headers,
    );
    expect(refused.status).toBe(503);
    expect(refused.body.errors[0].extensions.code).toBe('AUDIT_UNAVAILABLE');
    const line = logs()
      .split('\n')
      .find((l) => l.includes('access log group not written'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ records: 1, err: { type: expect.any(String) } });
    for (const secret of [household, ...members, headers.authorization!.slice(7)])
      expect(line).not.toContain(secret);
  });
});
