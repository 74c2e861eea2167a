/**
 * The gateway: Apollo Server over @apollo/gateway on the committed supergraph, plus the explorer
 * and health routes on the same port.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { formatClientError } from '../schema/errors.ts';
import { BodyTooLargeError, executeGraphQL, listen, readBody, sendJson, type Listening } from '../lib/http.ts';
import { DepartmentDataSource } from './data-source.ts';
import { createExplorerRoutes, type ExplorerOptions } from './explorer/routes.ts';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraph name → URL. Every subgraph of the supergraph must have one. */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  host: string;
  port: number;
  /** Serve the explorer at GET /graphql (text/html). */
  explorer?: ExplorerOptions | false;
  introspection?: boolean;
  maxBodyBytes?: number;
}

export interface RunningGateway extends Listening {
  apollo: ApolloServer<BaseContext>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const configured = options.subgraphUrls[name];
      if (!configured && !url) throw new Error(`no URL configured for subgraph ${name}`);
      return new DepartmentDataSource({
        name,
        url: configured ?? url!,
        timeoutMs: options.subgraphTimeoutMs,
      });
    },
  });
  const apollo = new ApolloServer<BaseContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    introspection: options.introspection ?? true,
    formatError: (formatted) => formatClientError(formatted),
    csrfPrevention: true,
  });
  await apollo.start();
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const explorer = options.explorer ? createExplorerRoutes(options.explorer) : undefined;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (explorer?.(req, res, url)) return;
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found' });
      const body = req.method === 'POST' ? await readBody(req, maxBodyBytes) : undefined;
      await executeGraphQL(req, res, { server: apollo, body, context: async () => ({}) });
    })().catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof BodyTooLargeError) {
        return sendJson(res, 413, {
          errors: [{ message: error.message, extensions: { code: 'BAD_USER_INPUT' } }],
        });
      }
      sendJson(res, 500, {
        errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
    });
  };

  const listening = await listen(handler, options.port, options.host);
  return {
    ...listening,
    apollo,
    close: async () => {
      await listening.close();
      await apollo.stop();
    },
  };
}

export { LocalGraphQLDataSource };
