/**
 * Every error a client receives only as "Internal server error" is logged here with its cause,
 * so that no 500 (or internal field error) goes unexplained: the error's type and code (its own
 * or its cause's: a driver's, a federation error's), and the request id. Never its message, its
 * path or any value: those may quote personal data.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { isClientFacing } from '../../schema/errors.ts';
import type { GatewayContext } from '../context.ts';
import type { Logger } from './logger.ts';

const SAFE_TOKEN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const token = (value: unknown) =>
  typeof value === 'string' && SAFE_TOKEN.test(value) ? value : undefined;

/** The cause of an internal error, as type and code only. */
export function causeOf(error: GraphQLError): Record<string, string | undefined> {
  const original = error.originalError as (Error & { code?: unknown }) | undefined;
  return {
    type: token(original?.name) ?? token(error.name),
    code: token(error.extensions?.code) ?? token(original?.code),
  };
}

export function createInternalErrorsPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isClientFacing(error.extensions?.code)) continue;
            logger.error(
              { requestId: contextValue.access?.requestId, err: causeOf(error) },
              'internal error returned to a client',
            );
          }
        },
      };
    },
  };
}
