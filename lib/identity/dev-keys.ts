/**
 * Development identity: the department IdP, the consent authority and the gateway each get a key
 * pair under the data folder on first start. Their key ids start with "dev-" so that production
 * can recognise and refuse them.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export const DEV_IDP_ISSUER = 'https://idp.dev.gd-assistance.example';
export const DEV_CONSENT_ISSUER = 'https://consent.dev.gd-assistance.example';
export const DEV_AUDIENCE = 'gd-assistance-gateway';
export const DEV_KID_PREFIX = 'dev-';

export type DevKeyName = 'idp' | 'consent-authority' | 'gateway';
const ALGORITHMS: Record<DevKeyName, 'ES256' | 'EdDSA'> = {
  idp: 'ES256',
  'consent-authority': 'ES256',
  gateway: 'EdDSA',
};

export interface DevKeyFiles {
  privateJwk: string;
  publicJwks: string;
}

export function devKeyFiles(dataDir: string, name: DevKeyName): DevKeyFiles {
  const dir = path.join(dataDir, 'keys');
  return {
    privateJwk: path.join(dir, `${name}.private.jwk.json`),
    publicJwks: path.join(dir, `${name}.jwks.json`),
  };
}

/**
 * Several processes may share one data folder (a gateway and departments started together): the
 * private half is created exclusively, so one process wins and the others use its pair, and the
 * public half appears whole (renamed into place) and only after the private one is written. A
 * public file present therefore means a complete pair.
 */
async function createKey(name: DevKeyName, files: DevKeyFiles, waitMs: number): Promise<void> {
  const alg = ALGORITHMS[name];
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${DEV_KID_PREFIX}${name}-${Date.now().toString(36)}`;
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  mkdirSync(path.dirname(files.privateJwk), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(files.privateJwk, JSON.stringify(privateJwk, null, 2), {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return untilPublished(files, waitMs);
    throw error;
  }
  const temporary = `${files.publicJwks}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ keys: [publicJwk] }, null, 2));
  renameSync(temporary, files.publicJwks);
}

/** Waits for another process to finish the pair it started. */
async function untilPublished(files: DevKeyFiles, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !existsSync(files.publicJwks);) {
    if (Date.now() > deadline) {
      throw new Error(
        `${files.privateJwk} has no public key beside it; delete it to create a new development key pair`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Creates whichever development keys are missing; returns the files of all three. A private key
 * without its public one is another process's creation in progress, awaited for `waitMs`.
 */
export async function ensureDevKeys(
  dataDir: string,
  { waitMs = 10_000 }: { waitMs?: number } = {},
): Promise<Record<DevKeyName, DevKeyFiles>> {
  const result = {} as Record<DevKeyName, DevKeyFiles>;
  for (const name of Object.keys(ALGORITHMS) as DevKeyName[]) {
    const files = devKeyFiles(dataDir, name);
    if (!existsSync(files.publicJwks)) await createKey(name, files, waitMs);
    result[name] = files;
  }
  return result;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
