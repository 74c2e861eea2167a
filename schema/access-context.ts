/**
 * The signed access context the gateway forwards to each subgraph: a short-lived JWS (EdDSA)
 * bound to the receiving subgraph (`aud`) and to the exact operation text (`qh`), so it cannot
 * be replayed against another department or with another query. It travels in the request body's
 * `extensions.accessContext`, so batch reviews with many consents never hit header-size limits.
 */
import { KeyObject as NodeKeyObject, createHash, sign as signBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type CryptoKey, type JWTVerifyGetKey, type KeyObject } from 'jose';
import { BoundedMap } from '../lib/bounded-map.ts';
import type { AccessContext } from './access.ts';
import type { AccessReportFormat } from './access-report.ts';

export const ACCESS_CONTEXT_ISSUER = 'gd-assistance-gateway';
export const ACCESS_CONTEXT_TYPE = 'access-context+jwt';
/** Long enough for a slow subgraph call, short enough that a leaked one is soon useless. */
export const ACCESS_CONTEXT_TTL_SECONDS = 60;
export const ACCESS_CONTEXT_ALGORITHM = 'EdDSA';

/**
 * The claim by which a gateway asks for the grouped access report (`rpt: "grouped"`). Signed
 * with the rest, so only a gateway can ask; a department that does not know it answers subject
 * by subject, which every gateway reads.
 */
const REPORT_FORMAT_CLAIM = 'rpt';

export const subgraphAudience = (subgraph: string) => `subgraph:${subgraph}`;

/**
 * Operation texts come from the gateway's cached query plans (departments hash only texts whose
 * context verified): a few hundred distinct ones, each hashed on every call before this cache.
 */
const queryHashes = new BoundedMap<string, string>(1000);

export function queryHash(query: string): string {
  let hash = queryHashes.get(query);
  if (hash === undefined) {
    hash = createHash('sha256').update(query).digest('base64url');
    queryHashes.set(query, hash);
  }
  return hash;
}

const HEADER = Buffer.from(
  JSON.stringify({ alg: ACCESS_CONTEXT_ALGORITHM, typ: ACCESS_CONTEXT_TYPE }),
).toString('base64url');

export interface AccessContextSignerOptions {
  /**
   * Each department's data categories (department-categories.ts): its access context lists only
   * these of each consent's categories. A department missing from the map gets them all.
   */
  departmentCategories?: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The gateway's signer: synchronous Ed25519 over a standard compact JWS (jose verifies it), with
 * the request's context serialized once per department however many calls the plan makes there.
 * It asks the departments for grouped access reports: the gateway reads both forms.
 */
export class AccessContextSigner {
  private readonly key: NodeKeyObject;
  private readonly serialized = new WeakMap<AccessContext, Map<string, string>>();
  private readonly categories: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(key: CryptoKey | KeyObject, options: AccessContextSignerOptions = {}) {
    this.key = key instanceof NodeKeyObject ? key : NodeKeyObject.from(key as CryptoKey);
    if (this.key.asymmetricKeyType !== 'ed25519')
      throw new Error('access contexts are signed with Ed25519');
    this.categories = options.departmentCategories ?? new Map();
  }

  /**
   * What the department is told: each consent with only the categories it decides on. A consent
   * left with none stays listed, so the department can still say that the consent presented does
   * not cover a category rather than that none was presented.
   */
  private contextFor(access: AccessContext, subgraph: string): AccessContext {
    const mine = this.categories.get(subgraph);
    if (!mine) return access;
    return {
      ...access,
      grants: access.grants.map((g) => ({
        ...g,
        categories: g.categories.filter((c) => mine.has(c)),
      })),
    };
  }

  sign(access: AccessContext, subgraph: string, query: string): string {
    let bySubgraph = this.serialized.get(access);
    if (!bySubgraph) {
      bySubgraph = new Map();
      this.serialized.set(access, bySubgraph);
    }
    let ctx = bySubgraph.get(subgraph);
    if (!ctx) {
      ctx = JSON.stringify(this.contextFor(access, subgraph));
      bySubgraph.set(subgraph, ctx);
    }
    const iat = Math.floor(Date.now() / 1000);
    const payload = `{"ctx":${ctx},"qh":${JSON.stringify(queryHash(query))},"${REPORT_FORMAT_CLAIM}":"grouped","iss":${JSON.stringify(ACCESS_CONTEXT_ISSUER)},"aud":${JSON.stringify(subgraphAudience(subgraph))},"iat":${iat},"exp":${iat + ACCESS_CONTEXT_TTL_SECONDS}}`;
    const input = `${HEADER}.${Buffer.from(payload).toString('base64url')}`;
    return `${input}.${signBytes(null, Buffer.from(input), this.key).toString('base64url')}`;
  }
}

/**
 * jose's signer, for callers other than the gateway (tests, the benchmark's vanilla gateway):
 * without `reportFormat` it asks for nothing, as a gateway that predates grouped reports.
 */
export async function signAccessContext(
  access: AccessContext,
  subgraph: string,
  query: string,
  key: CryptoKey | KeyObject,
  options: { reportFormat?: AccessReportFormat } = {},
): Promise<string> {
  const claims: Record<string, unknown> = { ctx: access, qh: queryHash(query) };
  if (options.reportFormat === 'grouped') claims[REPORT_FORMAT_CLAIM] = 'grouped';
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ACCESS_CONTEXT_ALGORITHM, typ: ACCESS_CONTEXT_TYPE })
    .setIssuer(ACCESS_CONTEXT_ISSUER)
    .setAudience(subgraphAudience(subgraph))
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_CONTEXT_TTL_SECONDS}s`)
    .sign(key);
}

export class AccessContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessContextError';
  }
}

export interface VerifiedAccessContext {
  access: AccessContext;
  /** How the caller wants the access report: grouped only when it asked (any other value: not). */
  reportFormat: AccessReportFormat;
}

/** Verifies an access context for this subgraph and this query; throws AccessContextError. */
export async function verifyAccessContext(
  token: unknown,
  subgraph: string,
  query: string,
  key: CryptoKey | KeyObject | JWTVerifyGetKey,
): Promise<VerifiedAccessContext> {
  if (typeof token !== 'string' || token.length === 0) {
    throw new AccessContextError('missing access context');
  }
  let payload: { ctx?: unknown; qh?: unknown; [REPORT_FORMAT_CLAIM]?: unknown };
  try {
    const verified = await jwtVerify(token, key as CryptoKey, {
      algorithms: [ACCESS_CONTEXT_ALGORITHM],
      issuer: ACCESS_CONTEXT_ISSUER,
      audience: subgraphAudience(subgraph),
      typ: ACCESS_CONTEXT_TYPE,
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: ACCESS_CONTEXT_TTL_SECONDS + 5,
      clockTolerance: 5,
    });
    payload = verified.payload as typeof payload;
  } catch {
    throw new AccessContextError('invalid access context');
  }
  if (payload.qh !== queryHash(query))
    throw new AccessContextError('access context is for another operation');
  const ctx = payload.ctx as AccessContext | undefined;
  if (!ctx || typeof ctx !== 'object' || !ctx.caller || !Array.isArray(ctx.grants)) {
    throw new AccessContextError('malformed access context');
  }
  return {
    access: ctx,
    reportFormat: payload[REPORT_FORMAT_CLAIM] === 'grouped' ? 'grouped' : 'subjects',
  };
}
