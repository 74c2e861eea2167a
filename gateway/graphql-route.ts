/**
 * POST/GET /graphql: read the body, build the access context from the headers, run the operation
 * through Apollo, write the access record, and only then send the response. Every request gets a
 * record, rejected ones included; if the record cannot be written the response is withheld and
 * the client gets AUDIT_UNAVAILABLE instead (fail closed).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { AccessReport } from '../schema/access-report.ts';
import { CATALOGUE } from '../schema/catalogue.ts';
import { ErrorCode, PlatformError } from '../schema/errors.ts';
import type { Policy } from '../schema/policy.ts';
import {
  BadJsonError,
  BodyTooLargeError,
  jsonResponse,
  parseJsonBody,
  readBody,
  runGraphQL,
  writeResponse,
  type HttpResponse,
} from '../lib/http.ts';
import { AccessGuard } from '../subgraphs/runtime/guard.ts';
import type { RequestAccessBuilder } from './access/request-access.ts';
import { outcomeOf, type GroupedAccessRecord } from './audit/access-record.ts';
import type { GroupCommitWriter, RecordSlot } from './audit/group-commit.ts';
import type { GatewayContext } from './context.ts';
import { RateLimitedError } from './limits/rate-limit.ts';
import { batchRefused } from './limits/batching.ts';
import type { Logger } from './observability/logger.ts';

export interface GraphQLRouteOptions {
  apollo: ApolloServer<GatewayContext>;
  requestAccess: RequestAccessBuilder;
  policy: Policy;
  /** The access log writer; null only where auditing is deliberately off (benchmarks). */
  audit: GroupCommitWriter | null;
  maxBodyBytes: number;
  /** Where an unexpected failure's cause is logged (type and code only). */
  logger?: Logger;
}

/** Apollo plugin that fills `contextValue.summary` as the response is sent. */
export const responseSummaryPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response, operation, request }) {
        if (response.body.kind !== 'single') return;
        const { errors, data } = response.body.singleResult;
        // Apollo hands plugins a shallow copy of the context: fill the shared object in place.
        Object.assign(contextValue.summary, {
          operation: operation?.name?.value ?? request.operationName ?? null,
          errorCodes: (errors ?? []).map((e) =>
            String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
          ),
          hasData: data !== undefined && data !== null,
        });
      },
    };
  },
};

function rejection(error: unknown, logger: Logger | undefined): HttpResponse & { code: string } {
  const reply = (status: number, code: string, message: string, extra = {}) => ({
    ...jsonResponse(status, { errors: [{ message, extensions: { ...extra, code } }] }),
    code,
  });
  if (error instanceof RateLimitedError) {
    const { http: _http, ...extensions } = error.extensions;
    const response = reply(429, error.code, error.message, extensions);
    response.headers.push(['retry-after', String(error.retryAfterSeconds)]);
    return response;
  }
  if (error instanceof PlatformError) {
    const http = error.extensions.http as { status?: number } | undefined;
    return reply(http?.status ?? 400, error.code, error.message);
  }
  if (error instanceof BadJsonError) return reply(400, ErrorCode.BAD_USER_INPUT, error.message);
  if (error instanceof BodyTooLargeError)
    return reply(413, ErrorCode.BAD_USER_INPUT, error.message);
  // Never the message: it may quote a header or a value.
  const { name, code } = error as { name?: unknown; code?: unknown };
  logger?.error(
    {
      err: {
        type: typeof name === 'string' ? name.slice(0, 64) : typeof error,
        code: typeof code === 'string' ? code.slice(0, 64) : undefined,
      },
    },
    'request failed before it ran',
  );
  return reply(500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
}

function documentHash(body: unknown, url: URL): string | null {
  const b = body as
    { query?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } } | undefined;
  const query = typeof b?.query === 'string' ? b.query : url.searchParams.get('query');
  if (query) return createHash('sha256').update(query).digest('hex');
  const persisted = b?.extensions?.persistedQuery?.sha256Hash;
  return typeof persisted === 'string' ? persisted : null;
}

/** The codes of a response Apollo refused before its plugins could summarise it. */
function codesInBody(response: HttpResponse): string[] {
  try {
    const { errors } = JSON.parse(response.body) as {
      errors?: { extensions?: { code?: unknown } }[];
    };
    return (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  } catch {
    return [];
  }
}

/** How the request ended (for the log line and metrics). */
export interface GraphQLRouteResult {
  status: number;
  errorCodes: string[];
  context: GatewayContext | undefined;
}

export function createGraphQLRoute(options: GraphQLRouteOptions) {
  return async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<GraphQLRouteResult> => {
    const at = new Date().toISOString();
    // Tells the group commit a record is coming, so a group may wait for it (commit delay).
    const slot = options.audit?.reserve();
    try {
      return await handle(req, res, url, at, slot);
    } finally {
      slot?.release();
    }
  };

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    at: string,
    slot: RecordSlot | undefined,
  ): Promise<GraphQLRouteResult> {
    let body: unknown;
    let context: GatewayContext | undefined;
    let response: HttpResponse;
    let rejectedWith: string | null = null;
    try {
      body =
        req.method === 'POST'
          ? parseJsonBody(await readBody(req, options.maxBodyBytes))
          : undefined;
      // One operation per request: each is authorised, rate-limited and audited on its own.
      if (Array.isArray(body)) throw batchRefused();
      const { access, consentIds, unconfirmed } = await options.requestAccess(req.headers);
      const guard = new AccessGuard(options.policy, access, new AccessReport());
      const summary = { operation: null, errorCodes: [], hasData: false };
      const ctx: GatewayContext = { access, consentIds, unconfirmed, guard, summary };
      context = ctx;
      response = await runGraphQL(req, { server: options.apollo, body, context: async () => ctx });
      // Refused inside Apollo before its plugins ran (operation limits, trusted documents).
      if (response.status >= 400 && ctx.summary.errorCodes.length === 0)
        rejectedWith = codesInBody(response)[0] ?? null;
    } catch (error) {
      const reply = rejection(error, options.logger);
      rejectedWith = reply.code;
      response = reply;
    }
    if (slot) {
      try {
        await slot.write(recordOf(at, req, url, body, context, response, rejectedWith));
      } catch {
        response = jsonResponse(503, {
          errors: [
            {
              message: 'The access log cannot be written, so the response is withheld; retry later',
              extensions: { code: ErrorCode.AUDIT_UNAVAILABLE },
            },
          ],
        });
      }
    }
    writeResponse(res, response);
    const errorCodes = rejectedWith ? [rejectedWith] : (context?.summary?.errorCodes ?? []);
    return { status: response.status, errorCodes, context };
  }
}

function recordOf(
  at: string,
  req: IncomingMessage,
  url: URL,
  body: unknown,
  context: GatewayContext | undefined,
  response: HttpResponse,
  rejectedWith: string | null,
): GroupedAccessRecord {
  const access = context?.access;
  const summary = context?.summary;
  const errorCodes = rejectedWith ? [rejectedWith] : (summary?.errorCodes ?? []);
  const report = context?.guard.report.toRecord() ?? { touched: [], categories: {}, denied: [] };
  const header = req.headers['x-request-id'];
  const purpose = access?.purpose ?? null;
  return {
    at,
    requestId:
      access?.requestId ?? (typeof header === 'string' ? header.slice(0, 128) : randomUUID()),
    dept: access?.caller.dept ?? null,
    client: access?.caller.sub ?? null,
    operator: access?.operator ?? null,
    purpose,
    caseId: access?.caseId ?? null,
    consentIds: context?.consentIds ?? [],
    reason: access?.reason ?? null,
    review: !!(purpose && CATALOGUE.purposes[purpose]?.review),
    operation: summary?.operation ?? null,
    documentHash: documentHash(body, url),
    categories: report.categories,
    denied: report.denied,
    errorCodes,
    outcome: outcomeOf(response.status, errorCodes, summary?.hasData ?? false),
    status: response.status,
    touched: report.touched,
  };
}
