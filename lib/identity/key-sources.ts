/**
 * Where verification and signing keys come from: a JWKS file or URL (remote sets are fetched with
 * a timeout and a cooldown between refetches, as jose does), and private JWK files for signing.
 */
import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import { DEV_KID_PREFIX } from './dev-keys.ts';

export interface KeySetOptions {
  /** Refuse keys whose id marks them as development keys (production). */
  refuseDevKeys: boolean;
}

export class KeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyConfigError';
  }
}

function checkKeys(jwks: JSONWebKeySet, source: string, options: KeySetOptions): JSONWebKeySet {
  if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) {
    throw new KeyConfigError(`${source} holds no keys`);
  }
  if (options.refuseDevKeys && jwks.keys.some((k) => k.kid?.startsWith(DEV_KID_PREFIX))) {
    throw new KeyConfigError(`${source} holds development keys, which production refuses`);
  }
  return jwks;
}

/** A JWKS from a file path or an https/http URL. */
export function keySet(source: string, options: KeySetOptions): JWTVerifyGetKey {
  if (/^https?:\/\//.test(source)) {
    return createRemoteJWKSet(new URL(source), { timeoutDuration: 3000, cooldownDuration: 30_000 });
  }
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(readFileSync(source, 'utf8')) as JSONWebKeySet;
  } catch (error) {
    throw new KeyConfigError(`cannot read the JWKS ${source}: ${(error as Error).message}`);
  }
  return createLocalJWKSet(checkKeys(jwks, source, options));
}

export interface SigningKey {
  key: CryptoKey | KeyObject;
  kid: string | undefined;
  alg: string;
}

export async function signingKey(file: string, options: KeySetOptions): Promise<SigningKey> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (error) {
    throw new KeyConfigError(`cannot read the private key ${file}: ${(error as Error).message}`);
  }
  if (!jwk.d) throw new KeyConfigError(`${file} is not a private key`);
  if (options.refuseDevKeys && jwk.kid?.startsWith(DEV_KID_PREFIX)) {
    throw new KeyConfigError(`${file} is a development key, which production refuses`);
  }
  const alg = jwk.alg ?? (jwk.crv === 'Ed25519' ? 'EdDSA' : 'ES256');
  return { key: (await importJWK(jwk, alg)) as CryptoKey, kid: jwk.kid, alg };
}
