/**
 * Consent tokens (the digital authorization letter): compact JWS, `typ: consent+jwt`, signed by
 * the consent authority. A token that is not genuine (bad signature, wrong key, malformed) rejects
 * the whole request with CONSENT_INVALID: nothing partial is served on a forged letter. A genuine
 * token that cannot be used here (expired, not yet valid, another department, another purpose,
 * revoked) is kept as a rejected consent, so that the fields it would have opened come back null
 * with its specific code while the rest of the response is intact.
 */
import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type {
  Caller,
  ConsentGrant,
  RejectedConsent,
  RejectionReason,
} from '../../schema/access.ts';
import type { Catalogue } from '../../schema/catalogue.ts';
import { ErrorCode, PlatformError, badUserInput } from '../../schema/errors.ts';
import { isIdentityNumber } from '../../schema/identity-number.ts';
import type { SharedStore } from '../../lib/store/index.ts';
import { BoundedMap } from '../../lib/bounded-map.ts';

export const CONSENT_TYPE = 'consent+jwt';
export const MAX_CONSENTS_PER_REQUEST = 100;

export interface ConsentClaims {
  id: string;
  applicant: string;
  household: string;
  subjects: string[];
  grantees: string[];
  purpose: string;
  categories: string[];
  /** Seconds since epoch. */
  expiresAt: number;
  notBefore: number;
  issuedAt: number;
}

export interface ConsentCheck {
  /**
   * Genuine, usable, unrevoked consents whose subjects the registry has yet to confirm: they
   * open nothing until the gateway's subject checks (subject-checks-plugin.ts) make them grants.
   */
  unconfirmed: ConsentGrant[];
  rejected: RejectedConsent[];
  consentStatus: 'ok' | 'unavailable';
  /** Consent ids presented (for the access record). */
  presented: string[];
}

export interface ConsentVerifierOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  store: SharedStore;
  /** Each purpose's longest consent lifetime (`maxConsentDays`). */
  catalogue: Catalogue;
  clockToleranceSeconds?: number;
  /** Verified tokens kept, by hash, until they expire. */
  cacheSize?: number;
}

const invalid = (index: number, why: string) =>
  new PlatformError(ErrorCode.CONSENT_INVALID, `Consent token ${index + 1} is not valid: ${why}`, {
    extensions: { http: { status: 403 }, consentIndex: index },
  });

function claimsOf(payload: JWTPayload, index: number): ConsentClaims {
  const p = payload as Record<string, unknown>;
  const strings = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
  if (
    typeof p.jti !== 'string' ||
    typeof p.sub !== 'string' ||
    typeof p.hh !== 'string' ||
    typeof p.purpose !== 'string' ||
    !strings(p.subjects) ||
    !strings(p.grantees) ||
    !strings(p.categories) ||
    typeof p.exp !== 'number' ||
    typeof p.nbf !== 'number' ||
    typeof p.iat !== 'number'
  ) {
    throw invalid(index, 'required claims are missing or malformed');
  }
  if (!(p.subjects as string[]).every(isIdentityNumber))
    throw invalid(index, 'a subject is malformed');
  return {
    id: p.jti,
    applicant: p.sub,
    household: p.hh,
    subjects: p.subjects as string[],
    grantees: p.grantees as string[],
    purpose: p.purpose,
    categories: p.categories as string[],
    expiresAt: p.exp,
    notBefore: p.nbf,
    issuedAt: p.iat,
  };
}

/** Splits the X-Consent-Token header(s): several tokens, comma or space separated. */
export function consentTokensOf(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  const tokens = joined.split(/[\s,]+/).filter(Boolean);
  if (tokens.length > MAX_CONSENTS_PER_REQUEST) {
    throw badUserInput(
      `At most ${MAX_CONSENTS_PER_REQUEST} consent tokens per request (got ${tokens.length})`,
    );
  }
  return tokens;
}

export class ConsentVerifier {
  private readonly cache: BoundedMap<string, ConsentClaims>;

  constructor(private readonly options: ConsentVerifierOptions) {
    this.cache = new BoundedMap(options.cacheSize ?? 10_000);
  }

  /** Verifies the signature and claims of one token (cached by hash until it expires). */
  private async genuine(
    token: string,
    index: number,
  ): Promise<{ claims: ConsentClaims; expired: boolean }> {
    const hash = createHash('sha256').update(token).digest('base64url');
    const cached = this.cache.get(hash);
    const now = Date.now() / 1000;
    if (cached && cached.expiresAt > now && cached.notBefore <= now + 30) {
      return { claims: cached, expired: false };
    }
    try {
      const { payload } = await jwtVerify(token, this.options.keys, {
        algorithms: ['ES256', 'EdDSA'],
        issuer: this.options.issuer,
        typ: CONSENT_TYPE,
        requiredClaims: ['jti', 'sub', 'exp', 'nbf', 'iat'],
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
      });
      const claims = claimsOf(payload, index);
      this.cache.set(hash, claims);
      return { claims, expired: false };
    } catch (error) {
      // jose checks the signature before the time claims: these two carry a genuine payload.
      if (error instanceof joseErrors.JWTExpired) {
        return { claims: claimsOf(error.payload, index), expired: true };
      }
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf') {
        throw invalid(index, 'it is not valid yet');
      }
      if (error instanceof PlatformError) throw error;
      throw invalid(index, 'it is not signed by the consent authority or is malformed');
    }
  }

  /** Does the consent last longer than its purpose allows (or is its purpose never consented)? */
  private tooLong(c: ConsentClaims): boolean {
    const days = this.options.catalogue.purposes[c.purpose]?.maxConsentDays;
    if (days === undefined) return true;
    const longest = days * 86_400;
    return c.expiresAt - c.issuedAt > longest || c.expiresAt - c.notBefore > longest;
  }

  async check(
    tokens: string[],
    caller: Caller,
    purpose: string | undefined,
  ): Promise<ConsentCheck> {
    const result: ConsentCheck = {
      unconfirmed: [],
      rejected: [],
      consentStatus: 'ok',
      presented: [],
    };
    const candidates: ConsentClaims[] = [];
    const reject = (
      c: ConsentClaims,
      code: ErrorCode,
      reason: RejectionReason,
      subjects = c.subjects,
    ) => result.rejected.push({ id: c.id, household: c.household, subjects, code, reason });
    for (const [index, token] of tokens.entries()) {
      const { claims, expired } = await this.genuine(token, index);
      result.presented.push(claims.id);
      if (expired) reject(claims, ErrorCode.CONSENT_EXPIRED, 'expired');
      else if (!claims.grantees.includes(caller.dept))
        reject(claims, ErrorCode.CONSENT_INVALID, 'other-department');
      else if (claims.purpose !== purpose)
        reject(claims, ErrorCode.PURPOSE_NOT_ALLOWED, 'other-purpose');
      else if (this.tooLong(claims)) reject(claims, ErrorCode.CONSENT_INVALID, 'lifetime');
      else candidates.push(claims);
    }
    if (candidates.length === 0) return result;
    let revoked: Set<string>;
    try {
      revoked = await this.options.store.revokedAmong(candidates.map((c) => c.id));
    } catch {
      // Fail closed: without revocation status no consent opens anything.
      result.consentStatus = 'unavailable';
      for (const c of candidates)
        reject(c, ErrorCode.CONSENT_STATUS_UNAVAILABLE, 'status-unavailable');
      return result;
    }
    for (const c of candidates) {
      if (revoked.has(c.id)) reject(c, ErrorCode.CONSENT_REVOKED, 'revoked');
      // Not usable yet: the registry confirms whom it covers (registry.ts) before execution.
      else
        result.unconfirmed.push({
          id: c.id,
          household: c.household,
          subjects: c.subjects,
          categories: c.categories,
        });
    }
    return result;
  }
}
