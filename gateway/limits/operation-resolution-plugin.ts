/**
 * A document with several operations runs the one `operationName` names. When none is named, or
 * the name matches none, Apollo Server resolves no operation and leaves the gateway's executor
 * to fail (a 500); this plugin refuses such a request first, as the client's mistake it is:
 * 400 with BAD_USER_INPUT, naming `operationName`. The name itself is not echoed.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind } from 'graphql';
import { badUserInput } from '../../schema/errors.ts';

export function createOperationResolutionPlugin<
  TContext extends BaseContext,
>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          const count = document.definitions.filter(
            (d) => d.kind === Kind.OPERATION_DEFINITION,
          ).length;
          const message =
            count === 0
              ? 'The document holds no operation to run'
              : request.operationName
                ? 'operationName names none of the operations in the document'
                : 'The document holds several operations: operationName must name the one to run';
          const error = badUserInput(message, { field: 'operationName', http: { status: 400 } });
          throw error;
        },
      };
    },
  };
}
