/**
 * The gateway: Apollo Server over @apollo/gateway on the committed supergraph, plus the explorer
 * and health routes on the same port.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { CATALOGUE } from '../schema/catalogue.ts';
import { formatClientError } from '../schema/errors.ts';
import { Policy } from '../schema/policy.ts';
import { listen, sendJson, type Listening } from '../lib/http.ts';
import type { GatewayIdentity } from '../lib/identity/resolve.ts';
import type { SharedStore } from '../lib/store/index.ts';
import { createCallerAuthenticator } from './access/caller.ts';
import { ConsentVerifier } from './access/consent.ts';
import { createOperatorPlugin } from './access/operator-plugin.ts';
import { createRequestAccess } from './access/request-access.ts';
import type { AuditLog } from './audit/audit-log.ts';
import type { GroupCommitWriter } from './audit/group-commit.ts';
import { createGraphQLRoute, responseSummaryPlugin } from './graphql-route.ts';
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
  /** Writes one access record per request before its response leaves; null turns auditing off. */
  audit: GroupCommitWriter | null;
  /** The access log the platform graph reads (citizen view, auditors). */
  auditLog: AuditLog | null;
}

export interface RunningGateway extends Listening {
  apollo: ApolloServer<GatewayContext>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const policy = new Policy(CATALOGUE);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      if (name === PLATFORM_GRAPH) {
        return createPlatformDataSource({ store: options.store, auditLog: options.auditLog });
      }
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
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      createOperatorPlugin(),
      responseSummaryPlugin,
    ],
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
  const explorer = options.explorer ? createExplorerRoutes(options.explorer) : undefined;
  const graphql = createGraphQLRoute({
    apollo,
    requestAccess,
    policy,
    audit: options.audit,
    maxBodyBytes: options.maxBodyBytes ?? 256 * 1024,
  });

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (explorer?.(req, res, url)) return;
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found' });
      await graphql(req, res, url);
    })().catch(() => {
      if (res.headersSent) return res.destroy();
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
