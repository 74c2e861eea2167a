/**
 * Processes started together on one data folder (a gateway and its departments in development)
 * must end up with one key pair per name. A process that finds another's creation in progress (a
 * private key, its public one not yet written) waits for it and uses that pair; before, it
 * created a pair of its own over it, so a department could verify with a public key the gateway
 * never signed with.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { devKeyFiles, ensureDevKeys } from '../../lib/identity/dev-keys.ts';

const readJwk = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as JWK;

/** Another process's pair for the gateway: its private half written, its public half pending. */
async function pairInProgress(dataDir: string) {
  await ensureDevKeys(dataDir); // every other key in place
  const files = devKeyFiles(dataDir, 'gateway');
  rmSync(files.publicJwks);
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const kid = 'dev-gateway-other-process';
  writeFileSync(files.privateJwk, JSON.stringify({ ...(await exportJWK(privateKey)), kid }));
  const publish = async () =>
    writeFileSync(
      files.publicJwks,
      JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid }] }),
    );
  return { files, kid, publish };
}

describe('development keys shared by processes', () => {
  let dataDir: string;
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("waits for another process's pair in progress and uses it", async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gd-keys-'));
    const other = await pairInProgress(dataDir);
    const ensured = ensureDevKeys(dataDir);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await other.publish();
    await ensured;
    expect(readJwk(other.files.privateJwk).kid).toBe(other.kid);
    expect((readJwk(other.files.publicJwks) as { keys: JWK[] }).keys[0]!.kid).toBe(other.kid);
  });

  it('names a private key left without its public one, and keeps it', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gd-keys-'));
    const other = await pairInProgress(dataDir);
    await expect(ensureDevKeys(dataDir, { waitMs: 100 })).rejects.toThrow(
      `${other.files.privateJwk} has no public key beside it; delete it to create a new development key pair`,
    );
    expect(readJwk(other.files.privateJwk).kid).toBe(other.kid);
  });
});
