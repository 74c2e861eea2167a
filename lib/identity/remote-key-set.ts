/**
 * A JWKS fetched from a URL (jose's remote set: a timeout, a cooldown between refetches) whose
 * every fetch, the first and each refresh, passes the same key check as a file: a set that
 * holds a development key where they are refused is never used, so tokens fail to verify
 * (UNAUTHENTICATED) rather than being accepted on a development key.
 */
import { createRemoteJWKSet, customFetch, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { KeyConfigError, checkKeySet, type KeySetOptions } from './dev-key-check.ts';

/** The URL as it may be shown: no credentials or query (either could hold a secret). */
export function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export async function remoteKeySet(source: URL, options: KeySetOptions): Promise<JWTVerifyGetKey> {
  const shown = shownUrl(source);
  let started = false;
  let lastWarning = 0;
  const checkedFetch = async (url: string, init: RequestInit): Promise<Response> => {
    const response = await fetch(url, init);
    if (response.status !== 200) return response;
    const jwks = (await response.json()) as JSONWebKeySet;
    try {
      await checkKeySet(jwks, `the JWKS at ${shown}`, options);
    } catch (error) {
      // After the start nobody else would tell the operator why every token now fails (at most
      // once a minute: each request retries the fetch). One line on stderr, no key material.
      if (started && Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        process.stderr.write(`${(error as Error).message}; tokens are refused until it changes\n`);
      }
      throw error;
    }
    return new Response(JSON.stringify(jwks), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  const keys = createRemoteJWKSet(source, {
    timeoutDuration: 3000,
    cooldownDuration: 30_000,
    [customFetch]: checkedFetch,
  });
  // Production checks the set before it serves: a development key (or a set that cannot be
  // fetched) stops the start with a clear message, not the first caller's request.
  if (options.refuseDevKeys) {
    try {
      await keys.reload();
    } catch (error) {
      if (error instanceof KeyConfigError) throw error;
      // Only the kind of failure: fetch's messages quote the whole URL, credentials included.
      const cause = (error as { cause?: { code?: unknown } }).cause?.code;
      const kind = typeof cause === 'string' ? cause : (error as Error).name;
      throw new KeyConfigError(`cannot fetch the JWKS ${shown} (${kind})`);
    }
  }
  started = true;
  return keys;
}
