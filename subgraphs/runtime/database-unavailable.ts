/**
 * A department whose database cannot be reached is unavailable, not broken: it answers HTTP 503
 * with SUBGRAPH_UNAVAILABLE instead of 200 with INTERNAL_SERVER_ERROR at each failed field. The
 * gateway treats a 503 as it treats a department that is down (its fields null, with
 * SUBGRAPH_UNAVAILABLE at their paths, and a failure on the department's circuit breaker, which
 * then spares the database while it comes back), so a client sees the same code for a database
 * restart as for any other outage of the department and knows to retry. Only outages count
 * (lib/postgres-unavailable.ts); any other database error is still an internal error.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../schema/errors.ts';
import { isPostgresUnavailable } from '../../lib/postgres-unavailable.ts';

/** The whole answer: none of the request's data is trustworthy if some of it could not be read. */
export const databaseUnavailableBody = {
  errors: [
    {
      message: "The department's database is unavailable; try again shortly",
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE },
    },
  ],
};

export const DATABASE_UNAVAILABLE_STATUS = 503;

/** `onOutage` hears of each outage error (the database logs the loss once per outage). */
export function databaseUnavailablePlugin(onOutage: (error: unknown) => void): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let unavailable = false;
      return {
        async didEncounterErrors({ errors }) {
          const outage = errors.find((error) => isPostgresUnavailable(error.originalError));
          if (!outage) return;
          unavailable = true;
          onOutage(outage.originalError);
        },
        async willSendResponse({ response }) {
          if (!unavailable) return;
          response.http.status = DATABASE_UNAVAILABLE_STATUS;
          response.body = { kind: 'single', singleResult: databaseUnavailableBody };
        },
      };
    },
  };
}
