/**
 * How the gateway talks to a department: a lean keep-alive HTTP client (lib/http-client.ts)
 * instead of the gateway's default fetcher and its per-call request objects, a deadline per call,
 * a circuit breaker, and failure isolation: a
 * department that is down, slower than its deadline, or answers something that is not a GraphQL
 * response yields SUBGRAPH_UNAVAILABLE at the paths of the fields it would have filled, so the
 * rest of the response still arrives (see resilience/unavailable-response.ts).
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { AccessContext } from '../schema/access.ts';
import {
  ACCESS_CONTEXT_ISSUER,
  AccessContextSigner,
  accessContextLifetime,
  variablesJson,
} from '../schema/access-context.ts';
import { HttpCallError, JsonPostClient } from '../lib/http-client.ts';
import type { SigningKey } from '../lib/identity/key-sources.ts';
import type { TlsMaterial } from '../lib/tls-config.ts';
import type { GatewayContext } from './context.ts';
import { CircuitBreaker, type CircuitState } from './resilience/circuit-breaker.ts';
import { unavailableErrors } from './resilience/unavailable-response.ts';

/** How one call to a department ended (metrics label). */
export type SubgraphCallOutcome =
  'ok' | 'timeout' | 'unreachable' | 'http_error' | 'bad_response' | 'circuit_open';

export interface SubgraphCallObserver {
  call(subgraph: string, outcome: SubgraphCallOutcome, seconds: number): void;
  circuit(subgraph: string, state: CircuitState): void;
}

export interface DepartmentDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  signing: SigningKey;
  /** Shared by the gateway's data sources, so a request's context is serialized once. */
  signer?: AccessContextSigner;
  circuitBreaker?: { failureThreshold: number; cooldownMs: number };
  observer?: SubgraphCallObserver;
  /** Mutual TLS to the department (its URL must then be https://). */
  tls?: TlsMaterial | undefined;
}

export function createTimedFetcher(timeoutMs: number): Fetcher {
  return ((url: string, init?: RequestInit) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
}

/** A failed call, classified; thrown from the transport and caught in process(). */
class SubgraphCallFailure extends Error {
  constructor(
    readonly outcome: Exclude<SubgraphCallOutcome, 'ok' | 'circuit_open'>,
    readonly status?: number,
  ) {
    super(`subgraph call failed: ${outcome}`);
  }
}

function classify(error: unknown, response?: { ok: boolean; status: number }): SubgraphCallFailure {
  if (response && !response.ok) return new SubgraphCallFailure('http_error', response.status);
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new SubgraphCallFailure('timeout');
  if (error instanceof HttpCallError) return new SubgraphCallFailure('unreachable');
  if (error instanceof TypeError && /fetch failed/.test(error.message))
    return new SubgraphCallFailure('unreachable');
  return new SubgraphCallFailure('bad_response');
}

/** The gateway's own identity for its checks (catalogue department `gateway`, kind `gateway`). */
export const gatewayAccess = (requestId: string): AccessContext => ({
  requestId,
  caller: { sub: ACCESS_CONTEXT_ISSUER, dept: 'gateway', kind: 'gateway', roles: ['gateway'] },
  grants: [],
  rejected: [],
  consentStatus: 'ok',
});

/** A gateway check a department could not answer (no personal data: names the department). */
export class DepartmentLookupError extends Error {
  constructor(
    readonly subgraph: string,
    readonly outcome: string,
  ) {
    super(`the ${subgraph} department could not answer the gateway's check (${outcome})`);
    this.name = 'DepartmentLookupError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Is this a GraphQL response the gateway can merge (and, for entities, one per representation)? */
function wellFormed(response: unknown, representations: unknown): boolean {
  if (!isObject(response)) return false;
  if (response.errors !== undefined && !Array.isArray(response.errors)) return false;
  const { data } = response;
  if (data === undefined || data === null) return Array.isArray(response.errors);
  if (!isObject(data)) return false;
  if (!Array.isArray(representations)) return true;
  return Array.isArray(data._entities) && data._entities.length === representations.length;
}

export class DepartmentDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  readonly breaker: CircuitBreaker;
  private readonly signer: AccessContextSigner;
  private readonly observer: SubgraphCallObserver | undefined;
  private readonly client: JsonPostClient;

  constructor({
    name,
    url,
    timeoutMs,
    signing,
    signer,
    circuitBreaker,
    observer,
    tls,
  }: DepartmentDataSourceOptions) {
    super({ url, fetcher: createTimedFetcher(timeoutMs) });
    this.client = new JsonPostClient(url, { timeoutMs, tls });
    this.name = name;
    this.signer =
      signer ??
      new AccessContextSigner(signing.key, { lifetimeSeconds: accessContextLifetime(timeoutMs) });
    this.observer = observer;
    this.breaker = new CircuitBreaker({
      failureThreshold: circuitBreaker?.failureThreshold ?? 5,
      cooldownMs: circuitBreaker?.cooldownMs ?? 10_000,
      onStateChange: (state) => observer?.circuit(name, state),
    });
  }

  /**
   * Every call carries an access context signed for this department and this call (operation
   * text and variables, as JSON exactly as the body carries them).
   */
  private signed(
    { request, context }: GraphQLDataSourceProcessOptions<GatewayContext>,
    variables: string,
  ): string {
    if (!context.access) throw new Error('no access context: refusing to call a department');
    return this.signer.sign(context.access, this.name, request.query ?? '', variables);
  }

  /** The stock transport's path (non-client calls): it serializes the variables itself. */
  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const accessContext = this.signed(options, variablesJson(options.request.variables));
    options.request.extensions = { ...options.request.extensions, accessContext };
  }

  /** Takes the department's access report into the request's, and out of the response. */
  override async didReceiveResponse({
    response,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    const report = response.extensions?.accessReport;
    if (report !== undefined) {
      context.guard?.report.merge(report);
      delete response.extensions!.accessReport;
    }
    return response;
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    // Health checks and schema loading are not client operations: nothing to isolate.
    if (!('incomingRequestContext' in options)) return super.process(options);
    const unavailable = () => ({
      errors: unavailableErrors(this.name, options.request, options.document),
    });
    const permit = this.breaker.allow();
    if (!permit) {
      this.observer?.call(this.name, 'circuit_open', 0);
      return unavailable();
    }
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const response = await this.send(options);
      if (!wellFormed(response, options.request.variables?.representations))
        throw new SubgraphCallFailure('bad_response');
      this.breaker.succeeded(permit);
      this.observer?.call(this.name, 'ok', seconds());
      return response;
    } catch (error) {
      if (!(error instanceof SubgraphCallFailure)) {
        this.breaker.released(permit);
        throw error;
      }
      // A 4xx is an answer (the department is alive); anything else counts towards opening.
      if (error.status !== undefined && error.status < 500) this.breaker.released(permit);
      else this.breaker.failed(permit);
      this.observer?.call(this.name, error.outcome, seconds());
      return unavailable();
    }
  }

  /**
   * One client operation: sign, POST, parse. Transport failures come out classified. The
   * variables (entity batches: the largest part of the body) are serialized once, for both the
   * signature's hash and the body.
   */
  private async send(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    const variables = variablesJson(request.variables);
    const accessContext = this.signed(options, variables);
    const extensions = JSON.stringify({ ...request.extensions, accessContext });
    const operationName =
      request.operationName === undefined
        ? ''
        : `,"operationName":${JSON.stringify(request.operationName)}`;
    const body = `{"query":${JSON.stringify(request.query ?? '')},"variables":${variables}${operationName},"extensions":${extensions}}`;
    let result;
    try {
      result = await this.client.post(body);
    } catch (error) {
      throw classify(error);
    }
    if (result.status < 200 || result.status >= 300) {
      throw new SubgraphCallFailure('http_error', result.status);
    }
    let response: GatewayGraphQLResponse;
    try {
      response = JSON.parse(result.body) as GatewayGraphQLResponse;
    } catch {
      throw new SubgraphCallFailure('bad_response');
    }
    if (!isObject(response)) throw new SubgraphCallFailure('bad_response');
    return this.didReceiveResponse({ response, request, context: context as GatewayContext });
  }

  /**
   * One of the gateway's own checks (registry membership, a purpose's scope): a query to a
   * gateway-only field, signed with the gateway's own identity, behind the department's breaker.
   * Throws when the department cannot answer, so the check's caller fails closed.
   */
  async lookup<T>(
    requestId: string,
    query: string,
    variables: Record<string, unknown>,
  ): Promise<T> {
    const permit = this.breaker.allow();
    if (!permit) throw new DepartmentLookupError(this.name, 'circuit_open');
    const json = variablesJson(variables);
    const accessContext = this.signer.sign(gatewayAccess(requestId), this.name, query, json);
    const body = `{"query":${JSON.stringify(query)},"variables":${json},"extensions":${JSON.stringify({ accessContext })}}`;
    let result;
    try {
      result = await this.client.post(body);
    } catch (error) {
      this.breaker.failed(permit);
      throw new DepartmentLookupError(this.name, classify(error).outcome);
    }
    let response: { data?: Record<string, unknown> | null; errors?: unknown[] } | undefined;
    try {
      response = JSON.parse(result.body) as typeof response;
    } catch {
      // Not JSON: counted with the malformed answers below.
    }
    if (result.status >= 500) this.breaker.failed(permit);
    else this.breaker.succeeded(permit);
    if (result.status !== 200 || !isObject(response?.data) || response.errors?.length) {
      throw new DepartmentLookupError(this.name, 'bad_response');
    }
    return response.data as T;
  }

  override didEncounterError(
    error: Error,
    _request: unknown,
    response?: { ok: boolean; status: number },
  ): void {
    // Never relay the transport's message: it names hosts and ports.
    throw classify(error, response);
  }
}
