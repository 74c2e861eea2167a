/**
 * The gateway: Apollo Server over @apollo/gateway on the committed supergraph, plus the explorer
 * and health routes on the same port.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { CATALOGUE } from '../schema/catalogue.ts';
import { PlatformError, formatClientError } from '../schema/errors.ts';
import { Policy } from '../schema/policy.ts';
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
} from '../lib/http.ts';
import type { GatewayIdentity } from '../lib/identity/resolve.ts';
import type { SharedStore } from '../lib/store/index.ts';
import { createCallerAuthenticator } from './access/caller.ts';
import { ConsentVerifier } from './access/consent.ts';
import { createOperatorPlugin } from './access/operator-plugin.ts';
import { createRequestAccess } from './access/request-access.ts';
import type { GatewayContext } from './context.ts';
import { DepartmentDataSource } from './data-source.ts';
import { PLATFORM_GRAPH, createPlatformDataSource } from './platform-graph/index.ts';
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
  identity: GatewayIdentity;
  store: SharedStore;
}

export interface RunningGateway extends Listening {
  apollo: ApolloServer<GatewayContext>;
}

/** A request-level rejection: coded, with its HTTP status, and no data. */
function sendRejection(res: ServerResponse, error: PlatformError): void {
  const http = error.extensions.http as { status?: number } | undefined;
  sendJson(res, http?.status ?? 400, {
    errors: [{ message: error.message, extensions: { code: error.extensions.code } }],
  });
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const policy = new Policy(CATALOGUE);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      if (name === PLATFORM_GRAPH)
        return createPlatformDataSource({ store: options.store, policy });
      const url = options.subgraphUrls[name];
      if (!url) throw new Error(`no URL configured for subgraph ${name}`);
      return new DepartmentDataSource({
        name,
        url,
        timeoutMs: options.subgraphTimeoutMs,
        signing: options.identity.signing,
      });
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    introspection: options.introspection ?? true,
    formatError: (formatted) => formatClientError(formatted),
    csrfPrevention: true,
    plugins: [ApolloServerPluginInlineTraceDisabled(), createOperatorPlugin()],
  });
  const requestAccess = createRequestAccess({
    authenticate: createCallerAuthenticator({
      keys: options.identity.callerKeys,
      issuer: options.identity.idpIssuer,
      audience: options.identity.audience,
      catalogue: CATALOGUE,
    }),
    consents: new ConsentVerifier({
      keys: options.identity.consentKeys,
      issuer: options.identity.consentIssuer,
      store: options.store,
    }),
    policy,
    catalogue: CATALOGUE,
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
      const body =
        req.method === 'POST' ? parseJsonBody(await readBody(req, maxBodyBytes)) : undefined;
      const context = await requestAccess(req.headers);
      await executeGraphQL(req, res, { server: apollo, body, context: async () => context });
    })().catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof PlatformError) return sendRejection(res, error);
      if (error instanceof BadJsonError) return sendJson(res, 400, badJsonResponse);
      if (error instanceof BodyTooLargeError) {
        return sendJson(res, 413, {
          errors: [{ message: error.message, extensions: { code: 'BAD_USER_INPUT' } }],
        });
      }
      sendJson(res, 500, {
        errors: [
          { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ],
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
