/**
 * The pieces on their own: the cost model on the real supergraph, the circuit breaker's states,
 * fixed-window counters, the rate limiter's fallback when the shared store is down, the trusted
 * document manifest's checks, and the operations configuration.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, type OperationDefinitionNode } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config.ts';
import { devKeyFiles, ensureDevKeys } from '../../lib/identity/dev-keys.ts';
import { keySet } from '../../lib/identity/key-sources.ts';
import { gatewayIdentity } from '../../lib/identity/resolve.ts';
import { MemoryStore, StoreUnavailableError, type SharedStore } from '../../lib/store/index.ts';
import { readSupergraph } from '../../schema/compose.ts';
import { HOUSEHOLD_QUERY } from '../../gateway/sample-query.ts';
import { ShapeMeter } from '../../gateway/limits/operation-shape.ts';
import { createRateLimiter, RateLimitedError } from '../../gateway/limits/rate-limit.ts';
import { loadTrustedDocuments, sha256Hex } from '../../gateway/limits/trusted-documents.ts';
import { CircuitBreaker } from '../../gateway/resilience/circuit-breaker.ts';
import type { Caller } from '../../schema/access.ts';

const schema = Supergraph.build(readSupergraph()).apiSchema().toGraphQLJSSchema();

function shape(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  )!;
  return new ShapeMeter(schema, document, variables, { assumedListSize: 10 }).measure(operation);
}

describe('the cost model', () => {
  it('prices the household query by assumed list sizes', () => {
    expect(shape(HOUSEHOLD_QUERY)).toEqual({ depth: 4, aliases: 0, rootFields: 1, cost: 211 });
  });

  it('prices persons(ids) per id, from a variable or a literal', () => {
    const query = 'query($ids: [ID!]!) { persons(ids: $ids) { id properties { area } } }';
    expect(shape(query, { ids: ['a', 'b', 'c'] }).cost).toBe(33);
    expect(shape('{ persons(ids: ["a", "b"]) { id } }').cost).toBe(2);
  });

  it('takes first, or its schema default, as the size of disasterEvents', () => {
    expect(shape('{ disasterEvents(first: 3) { id } }').cost).toBe(3);
    expect(shape('{ disasterEvents { id } }').cost).toBe(20);
  });

  it('counts aliases and root fields through fragments, and survives a fragment cycle', () => {
    const query = `{ ...A } fragment A on Query { x: disasterEvents(first: 1) { id } ...B }
      fragment B on Query { y: disasterEvents(first: 1) { id } ...A }`;
    expect(shape(query)).toMatchObject({ aliases: 2, rootFields: 2 });
  });

  it('leaves introspection to the INTROSPECTION setting', () => {
    expect(
      shape('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }'),
    ).toMatchObject({ depth: 1, cost: 1 });
  });
});

describe('the circuit breaker', () => {
  it('opens after consecutive failures, probes once after the cool-down, and closes on success', () => {
    let now = 0;
    const states: string[] = [];
    const breaker = new CircuitBreaker({
      failureThreshold: 2,
      cooldownMs: 100,
      now: () => now,
      onStateChange: (s) => states.push(s),
    });
    breaker.failed(breaker.allow()!);
    breaker.succeeded(breaker.allow()!);
    breaker.failed(breaker.allow()!);
    const second = breaker.allow(); // one failure since the last success
    expect(second).not.toBeNull();
    breaker.failed(second!);
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBeNull();
    now = 150;
    const probe = breaker.allow();
    expect(probe).toMatchObject({ probe: true });
    expect(breaker.allow()).toBeNull(); // only one at a time
    breaker.failed(probe!);
    expect(breaker.state).toBe('open');
    now = 300;
    breaker.succeeded(breaker.allow()!);
    expect(breaker.allow()).not.toBeNull();
    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('keeps the cool-down from the opening: late failures of earlier calls neither extend it nor re-open', () => {
    let now = 0;
    const states: string[] = [];
    const breaker = new CircuitBreaker({
      failureThreshold: 2,
      cooldownMs: 10_000,
      now: () => now,
      onStateChange: (s) => states.push(s),
    });
    // A hung department: many calls go out before any of them times out.
    const hung = Array.from({ length: 6 }, () => breaker.allow()!);
    now = 5000;
    breaker.failed(hung[0]!);
    breaker.failed(hung[1]!); // opens at 5 s
    expect(breaker.state).toBe('open');
    now = 12_000;
    for (const late of hung.slice(2, 4)) breaker.failed(late); // time out during the cool-down
    now = 15_000; // the cool-down ends 10 s after the opening, not after the last late failure
    const probe = breaker.allow();
    expect(probe).toMatchObject({ probe: true });
    breaker.failed(hung[4]!); // late, while the probe is out: says nothing about the probe
    expect(breaker.state).toBe('half-open');
    breaker.succeeded(hung[5]!); // nor does a late success close it
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBeNull();
    breaker.succeeded(probe!);
    expect(breaker.state).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });
});

describe('rate limiting', () => {
  const caller = (sub: string, dept = 'housing'): Caller => ({
    sub,
    dept,
    kind: 'department',
    roles: [],
  });

  it('counts fixed windows in memory, and starts again when a window ends', async () => {
    const store = new MemoryStore();
    const hit = () => store.hitCounters([{ key: 'k', windowMs: 50 }]);
    expect((await hit())[0]!.count).toBe(1);
    expect((await hit())[0]!.count).toBe(2);
    await new Promise((r) => setTimeout(r, 60));
    expect((await hit())[0]).toMatchObject({ count: 1 });
  });

  it('refuses past the limit with the seconds to wait, per client and per department', async () => {
    const limit = createRateLimiter({
      store: new MemoryStore(),
      windowSeconds: 30,
      perDepartment: 3,
      perClient: 2,
    });
    await limit(caller('a'));
    await limit(caller('a'));
    const refusal = await limit(caller('a')).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect(refusal).toMatchObject({ scope: 'client', code: 'RATE_LIMITED' });
    expect((refusal as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect((refusal as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(30);
    // Client b is fine on its own, but the department has had its three.
    await expect(limit(caller('b'))).rejects.toMatchObject({ scope: 'department' });
    await expect(limit(caller('a', 'education'))).resolves.toBeUndefined();
  });

  it('counts on this replica alone while the shared store is down (fail open, still limited)', async () => {
    const down = {
      hitCounters: async () => Promise.reject(new StoreUnavailableError()),
    } as unknown as SharedStore;
    let warned = 0;
    const limit = createRateLimiter({
      store: down,
      windowSeconds: 30,
      perDepartment: 0,
      perClient: 1,
      onStoreUnavailable: () => (warned += 1),
    });
    await limit(caller('a'));
    await expect(limit(caller('a'))).rejects.toBeInstanceOf(RateLimitedError);
    expect(warned).toBe(2);
  });
});

describe('trusted document manifests', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gd-trusted-'));
  const write = (content: unknown) => {
    const file = path.join(dir, `${Math.random()}.json`);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('loads operations whose id is the SHA-256 of their text', () => {
    const body = '{ __typename }';
    const file = write({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256Hex(body), body }],
    });
    expect([...loadTrustedDocuments(file).keys()]).toEqual([sha256Hex(body)]);
  });

  it('reports every problem at once, naming the entry', () => {
    const file = write({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: 'abc', body: '{ a }', name: 'Wrong' }, { name: 'Empty' }],
    });
    expect(() => loadTrustedDocuments(file)).toThrow(ConfigError);
    try {
      loadTrustedDocuments(file);
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'TRUSTED_DOCUMENTS: operations[0] (Wrong): "id" is not the SHA-256 of "body"',
        'TRUSTED_DOCUMENTS: operations[1] (Empty) needs a string "id" and "body"',
      ]);
    }
    expect(() => loadTrustedDocuments(write('not json'))).toThrow(/cannot read/);
  });
});

describe('operations configuration', () => {
  it('has safe defaults, and introspection off in production unless asked for', () => {
    const dev = loadConfig({}).operations;
    expect(dev.introspection).toBe(true);
    expect(dev.limits).toMatchObject({ maxDepth: 10, maxCost: 5000, maxBodyBytes: 262144 });
    expect(dev.readinessRequires).toEqual(['subgraphs', 'store']);
    expect(dev.auditCommitDelayMs).toBe(8);
    expect(loadConfig({ AUDIT_COMMIT_DELAY_MS: '0' }).operations.auditCommitDelayMs).toBe(0);
    const production = {
      NODE_ENV: 'production',
      IDP_JWKS: 'idp.json',
      IDP_ISSUER: 'https://idp',
      IDP_AUDIENCE: 'gateway',
      CONSENT_JWKS: 'consent.json',
      CONSENT_ISSUER: 'https://consent',
      GATEWAY_SIGNING_KEY: 'gateway.jwk',
      REDIS_URL: 'redis://redis:6379',
    };
    expect(loadConfig(production).operations.introspection).toBe(false);
    expect(loadConfig({ ...production, INTROSPECTION: 'true' }).operations.introspection).toBe(
      true,
    );
    expect(loadConfig({ READYZ_REQUIRE: 'none' }).operations.readinessRequires).toEqual([]);
  });

  it('lists every bad setting at once, by name', () => {
    let problems: string[] = [];
    try {
      loadConfig({
        MAX_QUERY_DEPTH: 'deep',
        MAX_QUERY_COST: '0',
        INTROSPECTION: 'maybe',
        RATE_LIMIT_PER_CLIENT: '-1',
        READYZ_REQUIRE: 'subgraphs,moon',
        LOG_LEVEL: 'loud',
        TRUSTED_DOCUMENTS_ENFORCE: '*',
        AUDIT_COMMIT_DELAY_MS: '1s',
      });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      'TRUSTED_DOCUMENTS_ENFORCE needs TRUSTED_DOCUMENTS (the manifest file)',
      'READYZ_REQUIRE may list subgraphs, store, none (got "moon")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'MAX_QUERY_DEPTH must be a whole number from 1 to 100 (got "deep")',
      'MAX_QUERY_COST must be a whole number from 1 to 10000000 (got "0")',
      'INTROSPECTION must be true or false (got "maybe")',
      'RATE_LIMIT_PER_CLIENT must be a whole number from 0 to 100000000 (got "-1")',
      'AUDIT_COMMIT_DELAY_MS must be a whole number from 0 to 100 (got "1s")',
    ]);
  });

  it('refuses to start in production without the identity settings, naming each', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (error) {
      const problems = (error as ConfigError).problems;
      for (const name of [
        'IDP_JWKS',
        'IDP_ISSUER',
        'IDP_AUDIENCE',
        'CONSENT_JWKS',
        'CONSENT_ISSUER',
      ])
        expect(problems).toContain(
          `${name} is required in production (development keys are refused)`,
        );
      expect(problems.some((p) => p.startsWith('GATEWAY_SIGNING_KEY'))).toBe(true);
    }
  });

  it('refuses development keys in production, naming the file', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gd-keys-'));
    await ensureDevKeys(dataDir);
    const config = loadConfig({
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      IDP_JWKS: devKeyFiles(dataDir, 'idp').publicJwks,
      IDP_ISSUER: 'https://idp',
      IDP_AUDIENCE: 'gateway',
      CONSENT_JWKS: devKeyFiles(dataDir, 'consent-authority').publicJwks,
      CONSENT_ISSUER: 'https://consent',
      GATEWAY_SIGNING_KEY: devKeyFiles(dataDir, 'gateway').privateJwk,
      REDIS_URL: 'redis://redis:6379',
    });
    await expect(gatewayIdentity(config)).rejects.toThrow(
      /development keys?, which production refuses/,
    );
    await expect(
      keySet(devKeyFiles(dataDir, 'idp').publicJwks, { refuseDevKeys: true }),
    ).rejects.toThrow(/development keys, which production refuses/);
  });
});
