/**
 * The signed access context the gateway forwards to each subgraph: a short-lived JWS (EdDSA)
 * bound to the whole department call: the receiving subgraph (`aud`), the exact operation text
 * (`qh`) and the variables (`vh`), so it cannot be sent to another department, with another
 * query, or to read other people with the same query. Each carries a unique id (`jti`) that a
 * department accepts once (replay-cache.ts). It travels in the request body's
 * `extensions.accessContext`, so batch reviews with many consents never hit header-size limits.
 */
import { KeyObject as NodeKeyObject, createHash, randomUUID, sign as signBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type CryptoKey, type JWTVerifyGetKey, type KeyObject } from 'jose';
import { BoundedMap } from '../lib/bounded-map.ts';
import type { AccessContext } from './access.ts';
import type { AccessReportFormat } from './access-report.ts';

export const ACCESS_CONTEXT_ISSUER = 'gd-assistance-gateway';
export const ACCESS_CONTEXT_TYPE = 'access-context+jwt';
/**
 * A department verifies the context when the call's body has arrived, which is within the call's
 * deadline (SUBGRAPH_TIMEOUT_MS, 5 s by default) of signing; the rest covers the clocks of two
 * machines disagreeing. Longer deadlines get longer lives (accessContextLifetime).
 */
export const ACCESS_CONTEXT_LIFETIME_SECONDS = 15;
/** The margin above the deadline: clock skew between gateway and department, and queueing. */
const LIFETIME_MARGIN_SECONDS = 10;
/** The longest life a department accepts: the longest deadline (120 s) plus the margin. */
export const MAX_ACCESS_CONTEXT_LIFETIME_SECONDS = 130;
/** How far the gateway's and a department's clocks may disagree. */
export const ACCESS_CONTEXT_CLOCK_TOLERANCE_SECONDS = 5;
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

/** Seconds an access context lives for calls with this deadline: 15 s for the default 5 s. */
export function accessContextLifetime(timeoutMs: number): number {
  return Math.min(
    MAX_ACCESS_CONTEXT_LIFETIME_SECONDS,
    Math.max(
      ACCESS_CONTEXT_LIFETIME_SECONDS,
      Math.ceil(timeoutMs / 1000) + LIFETIME_MARGIN_SECONDS,
    ),
  );
}

/**
 * The variables as both ends see them: the gateway hashes the exact JSON it puts in the body,
 * and a department the JSON.stringify of what it parsed, which gives back the same text for
 * anything JSON.stringify wrote (absent variables count as `null`).
 */
export function variablesJson(variables: unknown): string {
  return JSON.stringify(variables ?? null);
}

export function variablesHash(json: string): string {
  return createHash('sha256').update(json).digest('base64url');
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
  /** Seconds each context lives (accessContextLifetime of the call deadline; default 15). */
  lifetimeSeconds?: number;
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
  private readonly lifetime: number;

  constructor(key: CryptoKey | KeyObject, options: AccessContextSignerOptions = {}) {
    this.key = key instanceof NodeKeyObject ? key : NodeKeyObject.from(key as CryptoKey);
    if (this.key.asymmetricKeyType !== 'ed25519')
      throw new Error('access contexts are signed with Ed25519');
    this.categories = options.departmentCategories ?? new Map();
    this.lifetime = options.lifetimeSeconds ?? ACCESS_CONTEXT_LIFETIME_SECONDS;
    if (!(this.lifetime > 0 && this.lifetime <= MAX_ACCESS_CONTEXT_LIFETIME_SECONDS))
      throw new Error(`access contexts live 1 to ${MAX_ACCESS_CONTEXT_LIFETIME_SECONDS} s`);
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

  /** `variables` is the variables' JSON exactly as the call's body carries it (variablesJson). */
  sign(access: AccessContext, subgraph: string, query: string, variables: string): string {
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
    const payload = `{"ctx":${ctx},"qh":${JSON.stringify(queryHash(query))},"vh":"${variablesHash(variables)}","${REPORT_FORMAT_CLAIM}":"grouped","iss":${JSON.stringify(ACCESS_CONTEXT_ISSUER)},"aud":${JSON.stringify(subgraphAudience(subgraph))},"jti":"${randomUUID()}","iat":${iat},"exp":${iat + this.lifetime}}`;
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
  variables: unknown,
  key: CryptoKey | KeyObject,
  options: { reportFormat?: AccessReportFormat } = {},
): Promise<string> {
  const claims: Record<string, unknown> = {
    ctx: access,
    qh: queryHash(query),
    vh: variablesHash(variablesJson(variables)),
  };
  if (options.reportFormat === 'grouped') claims[REPORT_FORMAT_CLAIM] = 'grouped';
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ACCESS_CONTEXT_ALGORITHM, typ: ACCESS_CONTEXT_TYPE })
    .setIssuer(ACCESS_CONTEXT_ISSUER)
    .setAudience(subgraphAudience(subgraph))
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_CONTEXT_LIFETIME_SECONDS}s`)
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
  /** The context's unique id, which the department accepts once (replay-cache.ts). */
  id: string;
  /** Until when (ms since epoch) the context verifies: its replay-cache entry lives as long. */
  validUntil: number;
}

/** The department call a context must have been signed for. */
export interface DepartmentCall {
  query: string;
  /** The variables as parsed from the body (absent: undefined). */
  variables: unknown;
}

/** A jti the gateway makes is a UUID; anything else signed is still bounded before it is a key. */
const MAX_ID_LENGTH = 64;

/**
 * Verifies an access context for this subgraph and this call (operation text and variables);
 * throws AccessContextError. Whether its id was seen before is the replay cache's to say.
 */
export async function verifyAccessContext(
  token: unknown,
  subgraph: string,
  call: DepartmentCall,
  key: CryptoKey | KeyObject | JWTVerifyGetKey,
): Promise<VerifiedAccessContext> {
  if (typeof token !== 'string' || token.length === 0) {
    throw new AccessContextError('missing access context');
  }
  let payload: {
    ctx?: unknown;
    qh?: unknown;
    vh?: unknown;
    jti?: unknown;
    iat?: number;
    exp?: number;
    [REPORT_FORMAT_CLAIM]?: unknown;
  };
  try {
    const verified = await jwtVerify(token, key as CryptoKey, {
      algorithms: [ACCESS_CONTEXT_ALGORITHM],
      issuer: ACCESS_CONTEXT_ISSUER,
      audience: subgraphAudience(subgraph),
      typ: ACCESS_CONTEXT_TYPE,
      requiredClaims: ['exp', 'iat', 'jti'],
      maxTokenAge: MAX_ACCESS_CONTEXT_LIFETIME_SECONDS,
      clockTolerance: ACCESS_CONTEXT_CLOCK_TOLERANCE_SECONDS,
    });
    payload = verified.payload as typeof payload;
  } catch {
    throw new AccessContextError('invalid access context');
  }
  const { iat, exp, jti } = payload as { iat: number; exp: number; jti: unknown };
  // A context that would outlive what any deadline needs was not made by a gateway.
  if (exp - iat > MAX_ACCESS_CONTEXT_LIFETIME_SECONDS)
    throw new AccessContextError('access context lives too long');
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_ID_LENGTH)
    throw new AccessContextError('malformed access context id');
  if (payload.qh !== queryHash(call.query))
    throw new AccessContextError('access context is for another operation');
  if (payload.vh !== variablesHash(variablesJson(call.variables)))
    throw new AccessContextError('access context is for other variables');
  const ctx = payload.ctx as AccessContext | undefined;
  if (!ctx || typeof ctx !== 'object' || !ctx.caller || !Array.isArray(ctx.grants)) {
    throw new AccessContextError('malformed access context');
  }
  return {
    access: ctx,
    reportFormat: payload[REPORT_FORMAT_CLAIM] === 'grouped' ? 'grouped' : 'subjects',
    id: jti,
    validUntil: (exp + ACCESS_CONTEXT_CLOCK_TOLERANCE_SECONDS) * 1000,
  };
}
