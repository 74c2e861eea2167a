/**
 * Child process (b): a vanilla @apollo/gateway in @apollo/server's startStandaloneServer, on the
 * same committed supergraph, with no security. Its data source is the stock
 * RemoteGraphQLDataSource with its default fetcher (make-fetch-happen); the only addition is
 * willSendRequest signing the access context the departments require (see bench-access.ts).
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { AccessContext } from '../schema/access.ts';
import { signAccessContext } from '../schema/access-context.ts';
import { readSupergraph } from '../schema/compose.ts';
import type { SigningKey } from '../lib/identity/key-sources.ts';
import { baselineAccess, gatewaySigningKey } from './bench-access.ts';
import { childConfig, runChild, sendToParent, stopWhenAsked } from './child.ts';
import type { GatewayChildConfig } from './gateway-ours.ts';

interface VanillaContext {
  access: AccessContext;
}

class SignedDataSource extends RemoteGraphQLDataSource<VanillaContext> {
  constructor(
    url: string,
    private readonly subgraph: string,
    private readonly signing: SigningKey,
  ) {
    super({ url });
  }

  override async willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<VanillaContext>) {
    const accessContext = await signAccessContext(
      context.access,
      this.subgraph,
      request.query ?? '',
      request.variables,
      this.signing.key,
    );
    request.extensions = { ...request.extensions, accessContext };
  }
}

runChild(async () => {
  const options = childConfig<GatewayChildConfig>();
  const signing = await gatewaySigningKey(options.dataDir);
  const gateway = new ApolloGateway({
    supergraphSdl: readSupergraph(),
    buildService: ({ name }) => {
      const url = options.subgraphUrls[name];
      // The in-process platform graph is ours; the benchmark queries never reach it.
      return new SignedDataSource(url ?? 'http://127.0.0.1:9/unused', name, signing);
    },
  });
  const server = new ApolloServer<VanillaContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ access: baselineAccess(req.headers['x-consent-token']) }),
  });
  stopWhenAsked(() => server.stop());
  // The standalone server answers on any path; /graphql keeps the three URLs alike.
  sendToParent({ ready: { url: new URL('/graphql', url).href } });
});
