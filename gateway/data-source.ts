/**
 * How the gateway talks to a department: Node's fetch (undici, keep-alive pooled) instead of the
 * gateway's default fetcher, a deadline per call, and transport failures turned into the coded
 * SUBGRAPH_UNAVAILABLE so the rest of the response still arrives.
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { signAccessContext } from '../schema/access-context.ts';
import { ErrorCode, PlatformError } from '../schema/errors.ts';
import type { SigningKey } from '../lib/identity/key-sources.ts';
import type { GatewayContext } from './context.ts';

export interface DepartmentDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  signing: SigningKey;
}

export function createTimedFetcher(timeoutMs: number): Fetcher {
  return ((url: string, init?: RequestInit) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
}

export class DepartmentDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  private readonly signing: SigningKey;

  constructor({ name, url, timeoutMs, signing }: DepartmentDataSourceOptions) {
    super({ url, fetcher: createTimedFetcher(timeoutMs) });
    this.name = name;
    this.signing = signing;
  }

  /** Every call carries the access context, signed for this department and this operation. */
  override async willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (!context.access) throw new Error('no access context: refusing to call a department');
    const accessContext = await signAccessContext(
      context.access,
      this.name,
      request.query ?? '',
      this.signing.key,
    );
    request.extensions = { ...request.extensions, accessContext };
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

  override didEncounterError(error: Error): void {
    // Never relay the transport's message: it names hosts and ports.
    throw new PlatformError(
      ErrorCode.SUBGRAPH_UNAVAILABLE,
      `The ${this.name} department did not answer; its data is missing from this response`,
      { extensions: { subgraph: this.name }, originalError: error },
    );
  }
}
