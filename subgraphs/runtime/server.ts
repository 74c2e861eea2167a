/**
 * The shared subgraph runtime: every department is served the same way, so that cross-cutting
 * rules (the access context, field decisions, error hygiene) are applied in one place.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { formatClientError } from '../../schema/errors.ts';
import type { Database } from '../../lib/db.ts';
import { BodyTooLargeError, executeGraphQL, listen, readBody, sendJson, type Listening } from '../../lib/http.ts';
import type { SubgraphContext, SubgraphDefinition } from './definition.ts';
import { migrate } from './migrate.ts';
import { seedStateMigration } from './seeding.ts';

export interface SubgraphServerOptions {
  port: number;
  host: string;
  /** Largest request body accepted (the gateway sends entity batches, not user documents). */
  maxBodyBytes?: number;
}

export interface RunningSubgraph extends Listening {
  name: string;
  schema: GraphQLSchema;
}

export function buildSchema(definition: SubgraphDefinition): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: definition.typeDefs, resolvers: definition.resolvers as never });
}

/** Creates the department's tables (runtime tables first). */
export async function prepareDatabase(definition: SubgraphDefinition, database: Database<any>) {
  await migrate(database.db, { '0000_seed_state': seedStateMigration, ...definition.migrations });
}

export async function startSubgraph(
  definition: SubgraphDefinition,
  database: Database<any>,
  options: SubgraphServerOptions,
): Promise<RunningSubgraph> {
  const schema = buildSchema(definition);
  const server = new ApolloServer<SubgraphContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted) => formatClientError(formatted),
    csrfPrevention: true,
    // Traces are for Apollo's cloud, which this platform never reports to.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', subgraph: definition.name });
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found' });
      const body = req.method === 'POST' ? await readBody(req, maxBodyBytes) : undefined;
      const requestId = String(req.headers['x-request-id'] ?? randomUUID()).slice(0, 128);
      await executeGraphQL(req, res, {
        server,
        body,
        context: async () => ({ loaders: definition.createLoaders(database.db), requestId }),
      });
    })().catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof BodyTooLargeError) {
        return sendJson(res, 413, { errors: [{ message: error.message, extensions: { code: 'BAD_USER_INPUT' } }] });
      }
      sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
  };

  const listening = await listen(handler, options.port, options.host);
  return {
    ...listening,
    name: definition.name,
    schema,
    close: async () => {
      await listening.close();
      await server.stop();
    },
  };
}
