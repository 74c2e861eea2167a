/**
 * How the gateway talks to a department: Node's fetch (undici, keep-alive pooled) instead of the
 * gateway's default fetcher, a deadline per call, and transport failures turned into the coded
 * SUBGRAPH_UNAVAILABLE so the rest of the response still arrives.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { ErrorCode, PlatformError } from '../schema/errors.ts';

export interface DepartmentDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
}

export function createTimedFetcher(timeoutMs: number): Fetcher {
  return ((url: string, init?: RequestInit) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
}

export class DepartmentDataSource extends RemoteGraphQLDataSource {
  readonly name: string;

  constructor({ name, url, timeoutMs }: DepartmentDataSourceOptions) {
    super({ url, fetcher: createTimedFetcher(timeoutMs) });
    this.name = name;
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
