/**
 * What the vanilla gateway and the floor need to reach the departments at all: every department
 * refuses a request without an access context signed by the gateway key it trusts. So both sign
 * one, per subgraph call, with the same key and the same function as our gateway
 * (signAccessContext). It is fixed (a civil-affairs caseworker, purpose dibao) except for the
 * consent grants, which are copied from the request's consent tokens WITHOUT verifying them: no
 * purpose in the catalogue opens these fields without consent, and a fixed context listing every
 * household's consent would make each department call carry tens of kilobytes, so the departments
 * would do different work for the baselines than for ours. This is not security: it is the
 * minimum that lets the same subgraphs return the same data.
 */
import { decodeJwt } from 'jose';
import type { AccessContext, ConsentGrant } from '../schema/access.ts';
import { devKeyFiles } from '../lib/identity/dev-keys.ts';
import { signingKey, type SigningKey } from '../lib/identity/key-sources.ts';

export const BENCH_PURPOSE = 'dibao';
export const BENCH_DEPARTMENT = 'civil-affairs';
export const BENCH_OPERATOR = 'bench-officer';

/** The gateway's development signing key, as the departments of this data folder trust it. */
export function gatewaySigningKey(dataDir: string): Promise<SigningKey> {
  return signingKey(devKeyFiles(dataDir, 'gateway').privateJwk, { refuseDevKeys: false });
}

function grantOf(token: string): ConsentGrant | undefined {
  try {
    const claims = decodeJwt(token) as Record<string, unknown>;
    if (typeof claims.jti !== 'string' || typeof claims.hh !== 'string') return undefined;
    return {
      id: claims.jti,
      household: claims.hh,
      subjects: claims.subjects as string[],
      categories: claims.categories as string[],
    };
  } catch {
    return undefined;
  }
}

/** The baselines' access context: fixed caller and purpose, grants copied from the header. */
export function baselineAccess(consentHeader: string | string[] | undefined): AccessContext {
  const joined = Array.isArray(consentHeader) ? consentHeader.join(',') : (consentHeader ?? '');
  const grants: ConsentGrant[] = [];
  for (const token of joined.split(',')) {
    const grant = token ? grantOf(token.trim()) : undefined;
    if (grant) grants.push(grant);
  }
  return {
    requestId: 'bench-baseline',
    caller: {
      sub: 'bench-client',
      dept: BENCH_DEPARTMENT,
      kind: 'department',
      roles: ['caseworker', 'determination-writer'],
    },
    operator: BENCH_OPERATOR,
    purpose: BENCH_PURPOSE,
    grants,
    rejected: [],
    consentStatus: 'ok',
  };
}
