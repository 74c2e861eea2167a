/**
 * A minimal Node HTTP binding for Apollo Server (what `startStandaloneServer` does, without
 * taking over the whole server): the gateway also serves the explorer and health routes, and both
 * sides need to read headers before Apollo sees the request.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      reject(new BodyTooLargeError(limit));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(limit));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export interface GraphQLRequestOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  context: () => Promise<TContext>;
  /** Already-parsed JSON body (POST); undefined for GET. */
  body: unknown;
}

export class BadJsonError extends Error {}

/** Parses a request body; an empty body is undefined. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadJsonError('Request body is not valid JSON');
  }
}

export const badJsonResponse = {
  errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }],
};

/** A complete HTTP response, held so that it can be audited before it leaves. */
export interface HttpResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/** Runs one HTTP GraphQL request through Apollo Server and returns its complete response. */
export async function runGraphQL<TContext extends BaseContext>(
  req: IncomingMessage,
  { server, context, body }: GraphQLRequestOptions<TContext>,
): Promise<HttpResponse> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: (req.method ?? 'GET').toUpperCase(),
      headers: headerMapOf(req),
      search: url.search,
      body,
    },
    context,
  });
  let text = '';
  if (response.body.kind === 'complete') text = response.body.string;
  else for await (const chunk of response.body.asyncIterator) text += chunk;
  return { status: response.status ?? 200, headers: [...response.headers], body: text };
}

export function jsonResponse(status: number, body: unknown): HttpResponse {
  return {
    status,
    headers: [['content-type', 'application/json; charset=utf-8']],
    body: JSON.stringify(body),
  };
}

export function writeResponse(res: ServerResponse, response: HttpResponse): void {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.setHeader('content-length', Buffer.byteLength(response.body));
  res.statusCode = response.status;
  res.end(response.body);
}

/** Runs one HTTP GraphQL request through Apollo Server and writes its response. */
export async function executeGraphQL<TContext extends BaseContext>(
  req: IncomingMessage,
  res: ServerResponse,
  options: GraphQLRequestOptions<TContext>,
): Promise<void> {
  writeResponse(res, await runGraphQL(req, options));
}

export interface Listening {
  server: http.Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (0 for any free port) with keep-alive tuned for a gateway in front. */
export const MAX_HEADER_BYTES = 256 * 1024;

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host: string,
  path = '/graphql',
  tls?: { cert: Buffer; key: Buffer; ca: Buffer },
): Promise<Listening> {
  // A batch review sends up to 100 consent tokens (about 1 KB each) in X-Consent-Token: well
  // past Node's default 16 KB of headers.
  const options = { maxHeaderSize: MAX_HEADER_BYTES };
  // Mutual TLS: a client without a certificate signed by `ca` is refused in the handshake.
  const server = tls
    ? https.createServer(
        { ...options, ...tls, requestCert: true, rejectUnauthorized: true },
        handler,
      )
    : http.createServer(options, handler);
  // Longer than typical proxy idle timeouts, so the proxy closes first and never hits a reset.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    server,
    port: bound,
    url: `${tls ? 'https' : 'http'}://${shownHost}:${bound}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
