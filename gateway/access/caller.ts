/**
 * Caller authentication: `Authorization: Bearer <JWT>` from the platform's identity provider,
 * verified with jose. Explicit options, no defaults: ES256/EdDSA only, issuer, audience, required
 * claims, a small clock tolerance. Every failure is the same UNAUTHENTICATED answer: the reason is
 * kept for the log, never told to the client.
 */
import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { BoundedMap } from '../../lib/bounded-map.ts';
import type { Catalogue } from '../../schema/catalogue.ts';
import { ErrorCode, PlatformError } from '../../schema/errors.ts';
import type { Caller } from '../../schema/access.ts';

export const CALLER_ALGORITHMS = ['ES256', 'EdDSA'];
export const CITIZEN_ROLE = 'citizen';
export const CITIZEN_DEPT = 'citizen';

export interface CallerAuthenticatorOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  catalogue: Catalogue;
  clockToleranceSeconds?: number;
}

export class AuthenticationError extends PlatformError {
  constructor(readonly reason: string) {
    super(ErrorCode.UNAUTHENTICATED, 'Authentication required: present a valid department token');
  }
}

export type CallerAuthenticator = (authorization: string | undefined) => Promise<Caller>;

export function createCallerAuthenticator(
  options: CallerAuthenticatorOptions,
): CallerAuthenticator {
  // A client sends the same token for hours: verify it once, then until it expires.
  const verified = new BoundedMap<string, { caller: Caller; exp: number }>(10_000);
  const remember = (token: string, caller: Caller, exp: number) => {
    verified.set(token, { caller, exp });
    return caller;
  };
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization ?? '');
    if (!match) throw new AuthenticationError(authorization ? 'malformed header' : 'no token');
    const cached = verified.get(match[1]!);
    if (cached && cached.exp * 1000 > Date.now()) return cached.caller;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1]!, options.keys, {
        algorithms: CALLER_ALGORITHMS,
        issuer: options.issuer,
        audience: options.audience,
        typ: 'JWT',
        requiredClaims: ['sub', 'dept', 'roles', 'exp', 'iat', 'jti'],
        clockTolerance: options.clockToleranceSeconds ?? 30,
      }));
    } catch (error) {
      const code = error instanceof joseErrors.JOSEError ? error.code : 'invalid';
      throw new AuthenticationError(code);
    }
    const { sub, dept, roles } = payload;
    if (typeof sub !== 'string' || typeof dept !== 'string' || !Array.isArray(roles)) {
      throw new AuthenticationError('malformed claims');
    }
    if (!roles.every((r) => typeof r === 'string'))
      throw new AuthenticationError('malformed roles');
    const exp = payload.exp as number;
    if (roles.includes(CITIZEN_ROLE)) {
      return remember(
        match[1]!,
        { sub, dept: CITIZEN_DEPT, kind: 'citizen', roles: roles as string[] },
        exp,
      );
    }
    const department = options.catalogue.departments[dept];
    // The gateway's own identity (its registry and scope checks) is never a caller's.
    if (!department || department.kind === 'gateway') {
      throw new PlatformError(
        ErrorCode.FORBIDDEN,
        'Your department is not in the sharing catalogue',
        {
          extensions: { http: { status: 403 } },
        },
      );
    }
    return remember(match[1]!, { sub, dept, kind: department.kind, roles: roles as string[] }, exp);
  };
}
