/**
 * What a department folder exports: the federation fixture shape (`name`, `typeDefs`,
 * `resolvers`) plus its storage (migrations, per-request loaders) and its synthetic-data seeder.
 * Adding a department is a folder that default-exports one of these, its SDL file under schema/,
 * and a catalogue entry.
 */
import type { DocumentNode } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { Kysely, Migration } from 'kysely';
import type { AccessContext } from '../../schema/access.ts';
import type { AccessReportFormat } from '../../schema/access-report.ts';
import type { AccessGuard } from './guard.ts';
import type { SynthHousehold } from './seed/population.ts';

export interface SubgraphContext<L = unknown> {
  /** One loader set per request: never shared between callers with different rights. */
  loaders: L;
  requestId: string;
  /** Verified access context from the gateway: who asks, why, under which consents. */
  access: AccessContext;
  /** How the gateway asked for the access report (signed in the access context). */
  reportFormat: AccessReportFormat;
  /** Decisions for this request, recorded in its access report. */
  guard: AccessGuard;
}

export interface Seeder<DB> {
  /** Tables the seeder fills, emptied before a reseed (children first). */
  tables: readonly string[];
  /** Writes the department's records for one chunk of households. */
  seedChunk(db: Kysely<DB>, households: readonly SynthHousehold[], seed: number): Promise<void>;
}

/**
 * The runtime handles every department alike, so it erases their table types at this boundary;
 * each department's own code stays fully typed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTables = any;

export interface SubgraphDefinition<DB = AnyTables, L = unknown> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext<L>>;
  migrations: Record<string, Migration>;
  createLoaders(db: Kysely<DB>): L;
  seeder: Seeder<DB>;
}

/** Identity function that checks a definition's types where it is written. */
export function defineSubgraph<DB, L>(
  definition: SubgraphDefinition<DB, L>,
): SubgraphDefinition<DB, L> {
  return definition;
}
