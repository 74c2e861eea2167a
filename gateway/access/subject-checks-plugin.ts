/**
 * The gateway's subject checks, run once the operation is resolved and has passed every limit,
 * just before any department is called (Apollo's responseForOperation):
 * - the registry confirms whom each usable consent covers (registry.ts): only the signers it
 *   lists in the consent's household;
 * - a purpose bounded to a set of subjects (catalogue `subjectScope`, e.g. disaster relief: the
 *   households with a recent damage record) reaches only the households the operation names
 *   (named-subjects.ts; persons through their registered household) that the scope's
 *   department says are in scope, and their registered members.
 * Both land in the access context, so the one policy decides from them here and in every
 * department. If a department cannot answer, nothing is covered or in scope: fail closed.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import type { SubjectScopeSet } from '../../schema/access.ts';
import type { Catalogue, SubjectScope } from '../../schema/catalogue.ts';
import type { GatewayContext } from '../context.ts';
import type { Logger } from '../observability/logger.ts';
import { namedSubjects, type NamedSubjects } from './named-subjects.ts';
import {
  askRegistry,
  confirmGrants,
  type DepartmentLookup,
  type RegistryAnswer,
} from './registry.ts';

export interface SubjectChecksPluginOptions {
  catalogue: Catalogue;
  /** Calls a department's gateway-only field (the registry's and the scope's). */
  lookup: DepartmentLookup;
  logger?: Logger;
  /** Today, for a scope's window. */
  today?: () => Date;
}

const DAY_MS = 86_400_000;

/** The households in scope among the registry's answer, with their registered members. */
async function scopeOf(
  scope: SubjectScope,
  registry: RegistryAnswer,
  named: NamedSubjects,
  lookup: DepartmentLookup,
  requestId: string,
  today: Date,
): Promise<SubjectScopeSet> {
  const result: SubjectScopeSet = { households: [], persons: [], confirmed: true };
  const candidates = [
    ...new Set(
      [...named.households, ...named.persons].flatMap((id) => {
        const household = registry.householdOf.get(id) ?? id;
        return registry.members.has(household) ? [household] : [];
      }),
    ),
  ];
  if (candidates.length === 0) return result;
  const since = new Date(today.getTime() - scope.withinDays * DAY_MS).toISOString().slice(0, 10);
  const data = await lookup<Record<string, string[] | null>>(
    scope.subgraph,
    requestId,
    `query SubjectScope($households: [ID!]!, $since: String!) { ${scope.field}(households: $households, since: $since) }`,
    { households: candidates, since },
  );
  for (const household of data[scope.field] ?? []) {
    const members = registry.members.get(household);
    if (!members) continue;
    result.households.push(household);
    result.persons.push(...members);
  }
  return result;
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [],
    ),
  );
}

export function createSubjectChecksPlugin(
  options: SubjectChecksPluginOptions,
): ApolloServerPlugin<GatewayContext> {
  const today = options.today ?? (() => new Date());
  const failed = (error: unknown, what: string) =>
    options.logger?.warn(
      { err: { type: (error as Error)?.name } },
      `${what} could not be checked; failing closed`,
    );
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ contextValue, operation, document, schema, request }) {
          const { access, unconfirmed } = contextValue;
          const scope = access.purpose
            ? options.catalogue.purposes[access.purpose]?.subjectScope
            : undefined;
          if (unconfirmed.length === 0 && !scope) return null;
          const named: NamedSubjects = scope
            ? namedSubjects(schema, operation, fragmentsOf(document), request.variables ?? {})
            : { households: new Set(), persons: new Set() };
          let registry: RegistryAnswer | null = null;
          try {
            registry = await askRegistry(
              options.lookup,
              access.requestId,
              [...new Set([...unconfirmed.map((c) => c.household), ...named.households])],
              [...named.persons],
            );
          } catch (error) {
            failed(error, 'the household registry');
          }
          const confirmed = confirmGrants(unconfirmed, registry?.members ?? null);
          access.grants = [...access.grants, ...confirmed.grants];
          access.rejected = [...access.rejected, ...confirmed.rejected];
          contextValue.unconfirmed = [];
          if (scope) {
            access.scope = { households: [], persons: [], confirmed: false };
            try {
              if (registry) {
                access.scope = await scopeOf(
                  scope,
                  registry,
                  named,
                  options.lookup,
                  access.requestId,
                  today(),
                );
              }
            } catch (error) {
              failed(error, "a purpose's subject scope");
            }
          }
          return null;
        },
      };
    },
  };
}
