/**
 * One rule for every key source (JWKS file, JWKS URL at start and on each refetch, private JWK
 * file): production refuses a development key. A development key is one whose key id carries
 * the development marker, or whose thumbprint equals that of a development key found under the
 * data folder (so a copied dev key with its kid renamed is still recognised). The marker is
 * what makes a development key recognisable anywhere; the thumbprints catch the ones this
 * deployment's own data folder once created.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, type JSONWebKeySet, type JWK } from 'jose';
import { DEV_KID_PREFIX } from './dev-keys.ts';

export interface KeySetOptions {
  /** Refuse development keys (production). */
  refuseDevKeys: boolean;
  /** Thumbprints of the development keys under the data folder (see developmentThumbprints). */
  devThumbprints?: ReadonlySet<string>;
}

export class KeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyConfigError';
  }
}

/** The public part of a key, whose thumbprint a private JWK shares with its public one. */
async function thumbprintOf(jwk: JWK): Promise<string | undefined> {
  try {
    return await calculateJwkThumbprint(jwk, 'sha256');
  } catch {
    return undefined;
  }
}

export async function isDevelopmentKey(jwk: JWK, options: KeySetOptions): Promise<boolean> {
  if (typeof jwk.kid === 'string' && jwk.kid.startsWith(DEV_KID_PREFIX)) return true;
  if (!options.devThumbprints?.size) return false;
  const thumbprint = await thumbprintOf(jwk);
  return thumbprint !== undefined && options.devThumbprints.has(thumbprint);
}

/** Throws unless the set holds keys and (where refused) none of them is a development key. */
export async function checkKeySet(
  jwks: JSONWebKeySet,
  source: string,
  options: KeySetOptions,
): Promise<JSONWebKeySet> {
  if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0) {
    throw new KeyConfigError(`${source} holds no keys`);
  }
  if (options.refuseDevKeys) {
    for (const key of jwks.keys) {
      if (await isDevelopmentKey(key, options)) {
        throw new KeyConfigError(`${source} holds development keys, which production refuses`);
      }
    }
  }
  return jwks;
}

/**
 * Thumbprints of every development key the data folder holds (none when it holds none: a
 * production data folder normally has no keys/ at all). Read, never created.
 */
export async function developmentThumbprints(dataDir: string): Promise<Set<string>> {
  const dir = path.join(dataDir, 'keys');
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return new Set();
  }
  const thumbprints = new Set<string>();
  for (const file of files) {
    let parsed: { keys?: JWK[] } & JWK;
    try {
      parsed = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { keys?: JWK[] } & JWK;
    } catch {
      continue;
    }
    for (const jwk of Array.isArray(parsed.keys) ? parsed.keys : [parsed]) {
      const thumbprint = await thumbprintOf(jwk);
      if (thumbprint) thumbprints.add(thumbprint);
    }
  }
  return thumbprints;
}
