/**
 * The shared subgraph runtime: every department is served the same way, so that cross-cutting
 * rules (the access context, field decisions, error hygiene) are applied in one place.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import type { CryptoKey, JWTVerifyGetKey, KeyObject } from 'jose';
import { AccessContextError, verifyAccessContext } from '../../schema/access-context.ts';
import { CATALOGUE } from '../../schema/catalogue.ts';
import { departmentCategories } from '../../schema/department-categories.ts';
import { formatClientError } from '../../schema/errors.ts';
import { Policy } from '../../schema/policy.ts';
import { AccessReport } from '../../schema/access-report.ts';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Database } from '../../lib/db.ts';
import { StoreUnavailableError } from '../../lib/store/shared-store.ts';
import type { TlsMaterial } from '../../lib/tls-config.ts';
import { isPostgresUnavailable } from '../../lib/postgres-unavailable.ts';
import {
  BadJsonError,
  BodyTooLargeError,
  badJsonResponse,
  executeGraphQL,
  listen,
  parseJsonBody,
  readBody,
  sendJson,
  type Listening,
} from '../../lib/http.ts';
import type { AnyTables, SubgraphContext, SubgraphDefinition } from './definition.ts';
import { applyFieldPolicy } from './field-policy.ts';
import {
  DATABASE_UNAVAILABLE_STATUS,
  databaseUnavailableBody,
  databaseUnavailablePlugin,
} from './database-unavailable.ts';
import { AccessGuard } from './guard.ts';
import { migrate } from './migrate.ts';
import { MemoryReplayCache, type ReplayCache } from './replay-cache.ts';
import { seedStateMigration } from './seeding.ts';

export interface SubgraphServerOptions {
  port: number;
  host: string;
  /** Largest request body accepted (the gateway sends entity batches, not user documents). */
  maxBodyBytes?: number;
  /** Keys that verify the gateway's access contexts. */
  accessKeys: CryptoKey | KeyObject | JWTVerifyGetKey;
  /** The ids of accepted access contexts (default: this process's memory; closed by the caller). */
  replayCache?: ReplayCache;
  /** Serve HTTPS and require a client certificate `tls.ca` signed (mutual TLS). */
  tls?: TlsMaterial | undefined;
  policy?: Policy;
}

export interface RunningSubgraph extends Listening {
  name: string;
  schema: GraphQLSchema;
}

/** The department's schema with every guarded field behind the policy. */
export function buildSchema(definition: SubgraphDefinition): GraphQLSchema {
  const schema = buildSubgraphSchema({
    typeDefs: definition.typeDefs,
    resolvers: definition.resolvers as never,
  });
  applyFieldPolicy(schema);
  return schema;
}

/** Hands the gateway what this request touched and denied (the gateway strips it). */
const accessReportPlugin: ApolloServerPlugin<SubgraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const report = contextValue.guard?.report;
        if (!report || report.empty || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = {
          ...result.extensions,
          accessReport: report.toWire(contextValue.reportFormat),
        };
      },
    };
  },
};

const unauthenticated = {
  errors: [
    {
      message: 'Subgraphs answer the gateway only: a valid access context is required',
      extensions: { code: 'UNAUTHENTICATED' },
    },
  ],
};

/** The replay cache cannot be read: no call is accepted until it can (fail closed). */
const replayCheckUnavailable = {
  errors: [
    {
      message: 'The department cannot check access contexts for reuse: try again shortly',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    },
  ],
};

/** Creates the department's tables (runtime tables first). */
export async function prepareDatabase(
  definition: SubgraphDefinition,
  database: Database<AnyTables>,
) {
  await migrate(database, { '0000_seed_state': seedStateMigration, ...definition.migrations });
}

export async function startSubgraph(
  definition: SubgraphDefinition,
  database: Database<AnyTables>,
  options: SubgraphServerOptions,
): Promise<RunningSubgraph> {
  const schema = buildSchema(definition);
  const policy = options.policy ?? new Policy(CATALOGUE);
  const categories = departmentCategories(definition.typeDefs, CATALOGUE);
  const server = new ApolloServer<SubgraphContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted) => formatClientError(formatted),
    csrfPrevention: true,
    // Whoever runs the department (npm start, npm run subgraph) closes it on SIGINT/SIGTERM;
    // Apollo Server's own handlers would stop it early and raise the signal again.
    stopOnTerminationSignals: false,
    // Traces are for Apollo's cloud, which this platform never reports to. Cache hints are for
    // HTTP caches, which never see a department's answers (only the gateway does); without the
    // plugin Apollo Server no longer wraps every resolver to collect them (4% of a department's CPU).
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      accessReportPlugin,
      databaseUnavailablePlugin((error) => database.statementFailed(error)),
    ],
  });
  await server.start();
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const replayCache = options.replayCache ?? new MemoryReplayCache();

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/healthz')
        return sendJson(res, 200, { status: 'ok', subgraph: definition.name });
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found' });
      if (req.method !== 'POST') return sendJson(res, 405, unauthenticated, { allow: 'POST' });
      const body = parseJsonBody(await readBody(req, maxBodyBytes)) as
        | { query?: unknown; variables?: unknown; extensions?: { accessContext?: unknown } }
        | undefined;
      let verified;
      try {
        const query = typeof body?.query === 'string' ? body.query : '';
        verified = await verifyAccessContext(
          body?.extensions?.accessContext,
          definition.name,
          { query, variables: body?.variables },
          options.accessKeys,
        );
        // Only verified contexts are recorded: nobody without the gateway's key can fill it.
        if (!(await replayCache.firstUse(`${definition.name}:${verified.id}`, verified.validUntil)))
          throw new AccessContextError('access context already used');
      } catch (error) {
        if (error instanceof AccessContextError) return sendJson(res, 401, unauthenticated);
        if (error instanceof StoreUnavailableError)
          return sendJson(res, 503, replayCheckUnavailable);
        throw error;
      }
      const { access, reportFormat } = verified;
      const requestId = access.requestId ?? randomUUID();
      await executeGraphQL(req, res, {
        server,
        body,
        context: async () => ({
          loaders: definition.createLoaders(database.db),
          requestId,
          access,
          reportFormat,
          guard: new AccessGuard(policy, access, new AccessReport(), categories),
        }),
      });
    })().catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof BadJsonError) return sendJson(res, 400, badJsonResponse);
      if (error instanceof BodyTooLargeError) {
        return sendJson(res, 413, {
          errors: [{ message: error.message, extensions: { code: 'BAD_USER_INPUT' } }],
        });
      }
      if (isPostgresUnavailable(error)) {
        database.statementFailed(error);
        return sendJson(res, DATABASE_UNAVAILABLE_STATUS, databaseUnavailableBody);
      }
      sendJson(res, 500, {
        errors: [
          { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ],
      });
    });
  };

  const listening = await listen(handler, options.port, options.host, '/graphql', options.tls);
  return {
    ...listening,
    name: definition.name,
    schema,
    close: async () => {
      await listening.close();
      await server.stop();
      if (!options.replayCache) await replayCache.close();
    },
  };
}
