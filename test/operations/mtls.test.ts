/**
 * Mutual TLS between the gateway and the departments (SUBGRAPH_TLS_*, GATEWAY_TLS_*): the
 * gateway's calls and readiness probes go over it, and a department refuses, in the TLS
 * handshake, a client without a certificate or with one another CA signed. Half-configured or
 * unreadable settings stop the start with the variable's name.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { makeCertificates, openssl, type TestCertificates } from '../helpers/certificates.ts';
import { consentFor, headersFor } from '../helpers/callers.ts';
import { gql, startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';

const QUERY = 'query($id: ID!) { household(id: $id) { members { birthDate } } }';

const tlsEnv = (certs: TestCertificates) => ({
  SUBGRAPH_TLS_CERT: certs.department.cert,
  SUBGRAPH_TLS_KEY: certs.department.key,
  SUBGRAPH_TLS_CA: certs.department.ca,
  GATEWAY_TLS_CERT: certs.gateway.cert,
  GATEWAY_TLS_KEY: certs.gateway.key,
  GATEWAY_TLS_CA: certs.gateway.ca,
});

/** POSTs to a department with this client certificate (or none): its status, or the error. */
function callDepartment(url: string, ca: string, client?: { cert: string; key: string }) {
  return new Promise<number>((resolve, reject) => {
    const req = https.request(url, {
      method: 'POST',
      agent: false,
      ca: readFileSync(ca),
      ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
      headers: { 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{"query":"{ _service { sdl } }"}');
  });
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ NODE_ENV: 'test', ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe.skipIf(!openssl)('mutual TLS between the gateway and the departments', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gd-mtls-'));
  let certs: TestCertificates;
  let storage: TestStorage;
  let platform: RunningPlatform;

  beforeAll(async () => {
    certs = makeCertificates(dir);
    storage = testStorage();
    platform = await startTestPlatform(storage, tlsEnv(certs));
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the gateway over HTTPS with its client certificate', async () => {
    for (const url of Object.values(platform.departments.urls)) expect(url).toMatch(/^https:/);
    const { household, members } = platform.sample!;
    const consent = await consentFor(storage.dataDir, {
      id: 'mtls-consent',
      household,
      subjects: members,
      grantees: ['civil-affairs'],
      purpose: 'dibao',
    });
    const headers = await headersFor(storage.dataDir, {
      dept: 'civil-affairs',
      purpose: 'dibao',
      consents: [consent],
    });
    const result = await gql(platform.gateway.url, QUERY, { id: household }, headers);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.household.members).toHaveLength(members.length);
    const ready = await fetch(new URL('/readyz', platform.gateway.url));
    expect(ready.status).toBe(200);
  });

  it('refuses, in the handshake, a client without a certificate or with another CA’s', async () => {
    const url = platform.departments.urls.household!;
    // No HTTP answer at all: the handshake fails (TLS 1.3's alert, or the socket closed on it).
    await expect(callDepartment(url, certs.gateway.ca)).rejects.toMatchObject({
      code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    });
    await expect(callDepartment(url, certs.gateway.ca, certs.stranger)).rejects.toMatchObject({
      code: expect.stringMatching(/^(ECONNRESET|ERR_SSL_)/),
    });
    // The gateway's certificate gets through TLS, and then needs an access context like any call.
    await expect(callDepartment(url, certs.gateway.ca, certs.gateway)).resolves.toBe(401);
  });

  it('stops the start on half-configured, unreadable or mismatched settings', async () => {
    const env = tlsEnv(certs);
    const { SUBGRAPH_TLS_CA: _, ...half } = env;
    expect(problemsOf(half).join('\n')).toMatch(/SUBGRAPH_TLS_CA missing/);
    expect(
      problemsOf({ ...env, GATEWAY_TLS_CERT: path.join(dir, 'absent.pem') }).join('\n'),
    ).toMatch(/GATEWAY_TLS_CERT: cannot read .*absent\.pem \(ENOENT\)/);
    const mismatched = problemsOf({ ...env, GATEWAY_TLS_KEY: certs.department.key }).join('\n');
    expect(mismatched).toContain('GATEWAY_TLS_KEY is not the key of GATEWAY_TLS_CERT');
    expect(mismatched).not.toContain('PRIVATE KEY');
    expect(problemsOf({ ...env, SUBGRAPH_TLS_CA: certs.department.key }).join('\n')).toContain(
      'SUBGRAPH_TLS_CA',
    );
    // A client certificate never goes to a plain-HTTP department.
    expect(
      problemsOf({ ...env, SUBGRAPH_MEDICAL_URL: 'http://127.0.0.1:4003/graphql' }).join('\n'),
    ).toContain('SUBGRAPH_MEDICAL_URL must be a URL starting with https:');
    const {
      GATEWAY_TLS_CERT: _c,
      GATEWAY_TLS_KEY: _k,
      GATEWAY_TLS_CA: _a,
      ...departmentsOnly
    } = env;
    await expect(startTestPlatform(testStorage(), departmentsOnly)).rejects.toThrow(/GATEWAY_TLS_/);
  });
});
