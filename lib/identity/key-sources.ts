/**
 * Where verification and signing keys come from: a JWKS file or URL, and private JWK files for
 * signing. Every source passes the same development-key rule (dev-key-check.ts).
 */
import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import {
  KeyConfigError,
  checkKeySet,
  isDevelopmentKey,
  type KeySetOptions,
} from './dev-key-check.ts';
import { remoteKeySet } from './remote-key-set.ts';

export { KeyConfigError, type KeySetOptions } from './dev-key-check.ts';

/** A JWKS from a file path or an https/http URL. */
export async function keySet(source: string, options: KeySetOptions): Promise<JWTVerifyGetKey> {
  if (/^https?:\/\//.test(source)) return remoteKeySet(new URL(source), options);
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(readFileSync(source, 'utf8')) as JSONWebKeySet;
  } catch (error) {
    throw new KeyConfigError(`cannot read the JWKS ${source}: ${(error as Error).message}`);
  }
  return createLocalJWKSet(await checkKeySet(jwks, source, options));
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
  if (options.refuseDevKeys && (await isDevelopmentKey(jwk, options))) {
    throw new KeyConfigError(`${file} is a development key, which production refuses`);
  }
  const alg = jwk.alg ?? (jwk.crv === 'Ed25519' ? 'EdDSA' : 'ES256');
  return { key: (await importJWK(jwk, alg)) as CryptoKey, kid: jwk.kid, alg };
}
