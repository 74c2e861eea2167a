/**
 * Which database errors mean "PostgreSQL cannot be reached right now" rather than "this statement
 * is wrong": the server going away or not yet accepting connections (an operator restarting it, a
 * failover), the network between us, or the driver's own report of a connection that ended. These
 * are outages, answered with the platform's unavailable codes and retried by the caller later;
 * every other database error stays an internal error.
 */

/**
 * SQLSTATEs of an outage: 57P01 admin_shutdown (`pg_ctl stop/restart -m fast`), 57P02
 * crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down), 53300
 * too_many_connections; the whole class 08 (connection exception) is matched by prefix.
 */
const OUTAGE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;

/** Socket errors of a server that is down or unreachable. */
const OUTAGE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * node-postgres reports a connection that ended under it with a plain Error and no code:
 * "Connection terminated unexpectedly", "Connection terminated due to connection timeout", and
 * "Client has encountered a connection error and is not queryable" for a client used after that.
 */
const DRIVER_MESSAGES = /^(Connection terminated|Client has encountered a connection error)/;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether `error` (or an error it wraps, as `cause` or in an AggregateError) is an outage. */
export function isPostgresUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const code = codeOf(error);
  if (code !== undefined) {
    if (
      OUTAGE_SQLSTATES.has(code) ||
      CONNECTION_EXCEPTION.test(code) ||
      OUTAGE_SOCKET_CODES.has(code)
    )
      return true;
  } else if (error instanceof Error && DRIVER_MESSAGES.test(error.message)) {
    return true;
  }
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (isPostgresUnavailable(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((e) => isPostgresUnavailable(e, depth + 1));
}

/**
 * What may be logged of a database error: its SQLSTATE or socket code, or "none". Never its
 * message, which can quote the statement's values.
 */
export function postgresErrorCode(error: unknown): string {
  return codeOf(error) ?? 'none';
}
