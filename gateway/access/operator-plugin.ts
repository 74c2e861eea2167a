/**
 * Person-level reads and every write need the official at the keyboard (X-Operator-Id): checked once the
 * operation is resolved, before any department is called. An operation is person-level when it
 * selects any field of Person or Household (through fragments and aliases alike).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { ErrorCode, PlatformError } from '../../schema/errors.ts';
import type { GatewayContext } from '../context.ts';

const PERSON_LEVEL_TYPES = new Set(['Person', 'Household']);

export function selectsPersonLevelData(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        if (parent && PERSON_LEVEL_TYPES.has(parent.name)) found = true;
      },
    }),
  );
  return found;
}

export function createOperatorPlugin(): ApolloServerPlugin<GatewayContext> {
  const verdicts = new Map<string, boolean>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, schema, queryHash, operation }) {
          const { access } = contextValue;
          if (access.caller.kind !== 'department' || access.operator) return;
          if (operation?.operation === 'mutation') {
            throw new PlatformError(
              ErrorCode.OPERATOR_REQUIRED,
              'Writes need X-Operator-Id: the official making the request',
              { extensions: { http: { status: 400 } } },
            );
          }
          let personLevel = verdicts.get(queryHash);
          if (personLevel === undefined) {
            personLevel = selectsPersonLevelData(schema, document);
            if (verdicts.size > 5000) verdicts.clear();
            verdicts.set(queryHash, personLevel);
          }
          if (personLevel) {
            throw new PlatformError(
              ErrorCode.OPERATOR_REQUIRED,
              'Person-level reads need X-Operator-Id: the official making the request',
              { extensions: { http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
