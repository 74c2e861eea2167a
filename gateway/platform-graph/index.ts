/**
 * The platform subgraph, served in-process to the gateway through a local data source: consent
 * revocation, the citizen's view of the access log, and the auditors'. It goes through the same
 * field policy as the departments.
 */
import { LocalGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import type { SharedStore } from '../../lib/store/index.ts';
import { loadSdl } from '../../subgraphs/runtime/sdl.ts';
import { applyFieldPolicy } from '../../subgraphs/runtime/field-policy.ts';
import { AuditQueries } from '../audit/audit-queries.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { auditResolvers } from './audit-resolvers.ts';
import { consentResolvers } from './consent-resolvers.ts';

export const PLATFORM_GRAPH = 'platform';

export interface PlatformGraphOptions {
  store: SharedStore;
  auditLog: AuditLog | null;
}

export function createPlatformSchema({ store, auditLog }: PlatformGraphOptions): GraphQLSchema {
  const consents = consentResolvers(store);
  const audit = auditResolvers(auditLog ? new AuditQueries(auditLog) : null);
  const schema = buildSubgraphSchema({
    typeDefs: loadSdl(PLATFORM_GRAPH),
    resolvers: {
      ...audit,
      Query: { ...consents.Query, ...audit.Query },
      Mutation: { ...consents.Mutation, ...audit.Mutation },
    } as never,
  });
  applyFieldPolicy(schema);
  return schema;
}

export function createPlatformDataSource(options: PlatformGraphOptions): LocalGraphQLDataSource {
  return new LocalGraphQLDataSource(createPlatformSchema(options));
}
