/**
 * Development identity: the department IdP, the consent authority and the gateway each get a key
 * pair under the data folder on first start. Their key ids start with "dev-" so that production
 * can recognise and refuse them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

async function createKey(name: DevKeyName, files: DevKeyFiles): Promise<void> {
  const alg = ALGORITHMS[name];
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${DEV_KID_PREFIX}${name}-${Date.now().toString(36)}`;
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  mkdirSync(path.dirname(files.privateJwk), { recursive: true, mode: 0o700 });
  writeFileSync(files.privateJwk, JSON.stringify(privateJwk, null, 2), { mode: 0o600 });
  writeFileSync(files.publicJwks, JSON.stringify({ keys: [publicJwk] }, null, 2));
}

/** Creates whichever development keys are missing; returns the files of all three. */
export async function ensureDevKeys(dataDir: string): Promise<Record<DevKeyName, DevKeyFiles>> {
  const result = {} as Record<DevKeyName, DevKeyFiles>;
  for (const name of Object.keys(ALGORITHMS) as DevKeyName[]) {
    const files = devKeyFiles(dataDir, name);
    if (!existsSync(files.privateJwk) || !existsSync(files.publicJwks))
      await createKey(name, files);
    result[name] = files;
  }
  return result;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
