/**
 * Production refuses development keys from every source by one rule: the dev key-id marker, or
 * the thumbprint of a development key under the data folder. A JWKS URL is checked when the
 * gateway starts and on every refetch.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { devKeyFiles, ensureDevKeys } from '../../lib/identity/dev-keys.ts';
import { developmentThumbprints } from '../../lib/identity/dev-key-check.ts';
import { keySet, signingKey } from '../../lib/identity/key-sources.ts';
import { gatewayIdentity, subgraphVerificationKeys } from '../../lib/identity/resolve.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gd-devkeys-'));
const prodDir = mkdtempSync(path.join(os.tmpdir(), 'gd-prodkeys-'));
let served: JSONWebKeySet = { keys: [] };
let server: http.Server;
let base: string;
let production: JSONWebKeySet;
let productionSigningKey: string;

const readJwks = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet;
/** A development key whose key id no longer carries the marker. */
const renamed = (jwk: JWK): JWK => ({ ...jwk, kid: 'idp-2026-01' });

beforeAll(async () => {
  await ensureDevKeys(dir);
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  production = { keys: [{ ...(await exportJWK(publicKey)), kid: 'prod-1', alg: 'ES256' }] };
  productionSigningKey = path.join(prodDir, 'signing.jwk.json');
  const privateJwk = { ...(await exportJWK(privateKey)), kid: 'prod-1', alg: 'ES256' };
  writeFileSync(productionSigningKey, JSON.stringify(privateJwk));
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(served));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
  rmSync(prodDir, { recursive: true, force: true });
});

function productionConfig(dataDir: string, env: Record<string, string>) {
  return loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    IDP_ISSUER: 'https://idp.example',
    IDP_AUDIENCE: 'gateway',
    CONSENT_ISSUER: 'https://consent.example',
    GATEWAY_SIGNING_KEY: productionSigningKey,
    REDIS_URL: 'redis://127.0.0.1:6379',
    ...env,
  });
}

describe('development keys in production', () => {
  it('a gateway whose JWKS URL serves a development key does not start', async () => {
    served = readJwks(devKeyFiles(dir, 'idp').publicJwks);
    const config = productionConfig(prodDir, {
      IDP_JWKS: `${base}/idp/jwks.json`,
      CONSENT_JWKS: `${base}/consent/jwks.json`,
    });
    await expect(gatewayIdentity(config)).rejects.toThrow(
      `the JWKS at ${base}/idp/jwks.json holds development keys, which production refuses`,
    );
    // So does a department verifying the gateway's access contexts.
    const productionJwks = path.join(prodDir, 'production.jwks.json');
    writeFileSync(productionJwks, JSON.stringify(production));
    const department = productionConfig(prodDir, {
      IDP_JWKS: productionJwks,
      CONSENT_JWKS: productionJwks,
      GATEWAY_JWKS: `${base}/gateway/jwks.json`,
    });
    await expect(subgraphVerificationKeys(department)).rejects.toThrow(/development keys/);
  });

  it('a JWKS URL that cannot be fetched stops the start, its address shown without secrets', async () => {
    const config = productionConfig(prodDir, {
      IDP_JWKS: 'http://user:hunter2@127.0.0.1:1/jwks.json?token=s3cret',
      CONSENT_JWKS: `${base}/consent/jwks.json`,
    });
    const failure = gatewayIdentity(config);
    await expect(failure).rejects.toThrow(/cannot fetch the JWKS http:\/\/127\.0\.0\.1:1\/jwks/);
    const message = await failure.catch((e: Error) => e.message);
    expect(message).not.toMatch(/hunter2|s3cret/);
  });

  it('a JWKS URL that turns to a development key on refresh verifies nothing', async () => {
    served = production;
    const keys = await keySet(`${base}/jwks.json`, { refuseDevKeys: true });
    // The set is fetched and accepted at start.
    await expect(
      keys({ alg: 'ES256', kid: 'prod-1' }, { payload: '', signature: '' } as never),
    ).resolves.toBeDefined();
    served = { keys: [...production.keys, ...readJwks(devKeyFiles(dir, 'idp').publicJwks).keys] };
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await (keys as unknown as { reload(): Promise<void> }).reload().catch(() => undefined);
      // The operator is told why tokens stop verifying.
      expect(stderr).toHaveBeenCalledWith(
        `the JWKS at ${base}/jwks.json holds development keys, which production refuses; tokens are refused until it changes\n`,
      );
    } finally {
      stderr.mockRestore();
    }
    await expect(
      keys({ alg: 'ES256', kid: 'unknown' }, { payload: '', signature: '' } as never),
    ).rejects.toThrow();
    // The refused set never replaced the accepted one: no development key was ever trusted.
    const devKid = readJwks(devKeyFiles(dir, 'idp').publicJwks).keys[0]!.kid!;
    await expect(
      keys({ alg: 'ES256', kid: devKid }, { payload: '', signature: '' } as never),
    ).rejects.toThrow();
  });

  it('a development key with its key id renamed is still recognised, by file and by URL', async () => {
    const options = { refuseDevKeys: true, devThumbprints: await developmentThumbprints(dir) };
    const file = path.join(prodDir, 'renamed.jwks.json');
    writeFileSync(
      file,
      JSON.stringify({ keys: readJwks(devKeyFiles(dir, 'idp').publicJwks).keys.map(renamed) }),
    );
    await expect(keySet(file, options)).rejects.toThrow(/development keys/);
    served = { keys: readJwks(devKeyFiles(dir, 'consent-authority').publicJwks).keys.map(renamed) };
    await expect(keySet(`${base}/jwks.json`, options)).rejects.toThrow(/development keys/);
    const signing = path.join(prodDir, 'renamed.private.jwk.json');
    writeFileSync(
      signing,
      JSON.stringify(
        renamed(JSON.parse(readFileSync(devKeyFiles(dir, 'gateway').privateJwk, 'utf8'))),
      ),
    );
    await expect(signingKey(signing, options)).rejects.toThrow(/development key/);
    // A production key passes.
    await expect(signingKey(productionSigningKey, options)).resolves.toMatchObject({
      kid: 'prod-1',
    });
  });

  it('production keys from a URL start the gateway', async () => {
    served = production;
    const config = productionConfig(dir, {
      IDP_JWKS: `${base}/idp/jwks.json`,
      CONSENT_JWKS: `${base}/consent/jwks.json`,
    });
    await expect(gatewayIdentity(config)).resolves.toMatchObject({
      idpIssuer: 'https://idp.example',
    });
  });
});
