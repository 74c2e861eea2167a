/**
 * The platform subgraph, served in-process to the gateway through a local data source. It goes
 * through the same field policy as the departments.
 */
import { LocalGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { badUserInput } from '../../schema/errors.ts';
import type { Policy } from '../../schema/policy.ts';
import type { SharedStore } from '../../lib/store/index.ts';
import { loadSdl } from '../../subgraphs/runtime/sdl.ts';
import { applyFieldPolicy } from '../../subgraphs/runtime/field-policy.ts';
import type { GatewayContext } from '../context.ts';

export const PLATFORM_GRAPH = 'platform';
/** Consents live at most a year; a revocation is kept a little longer than any consent. */
export const REVOCATION_RETENTION_MS = 400 * 24 * 3600 * 1000;
const CONSENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface PlatformGraphOptions {
  store: SharedStore;
  policy: Policy;
}

export function createPlatformSchema({ store, policy }: PlatformGraphOptions): GraphQLSchema {
  const consentId = (id: string) => {
    if (!CONSENT_ID.test(id)) throw badUserInput('id is not a consent id', { argument: 'id' });
    return id;
  };
  const schema = buildSubgraphSchema({
    typeDefs: loadSdl(PLATFORM_GRAPH),
    resolvers: {
      Query: {
        consentRevocation: (_: unknown, { id }: { id: string }) => store.revocation(consentId(id)),
      },
      Mutation: {
        revokeConsent: async (
          _: unknown,
          args: { id: string; reason: string },
          { access }: GatewayContext,
        ) => {
          const reason = args.reason.trim();
          if (reason.length < 2 || reason.length > 500) {
            throw badUserInput('reason must be 2 to 500 characters', { argument: 'reason' });
          }
          await store.revokeConsent(
            {
              consentId: consentId(args.id),
              revokedAt: new Date().toISOString(),
              revokedBy: `${access.caller.dept}/${access.caller.sub}`,
              reason,
            },
            Date.now() + REVOCATION_RETENTION_MS,
          );
          return store.revocation(args.id);
        },
      },
    } as never,
  });
  applyFieldPolicy(schema, policy);
  return schema;
}

export function createPlatformDataSource(options: PlatformGraphOptions): LocalGraphQLDataSource {
  return new LocalGraphQLDataSource(createPlatformSchema(options));
}
