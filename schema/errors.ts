/**
 * The platform's error codes (`extensions.code`): stable, documented in docs/, and the only thing
 * a client should branch on. Messages are for people and never carry personal data or internals.
 */
import { GraphQLError, type GraphQLErrorOptions, type GraphQLFormattedError } from 'graphql';
import { safeClientMessage, type ClientMessageOptions } from './client-messages.ts';

export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  CONSENT_REQUIRED = 'CONSENT_REQUIRED',
  CONSENT_INVALID = 'CONSENT_INVALID',
  CONSENT_EXPIRED = 'CONSENT_EXPIRED',
  CONSENT_REVOKED = 'CONSENT_REVOKED',
  CONSENT_STATUS_UNAVAILABLE = 'CONSENT_STATUS_UNAVAILABLE',
  PURPOSE_NOT_ALLOWED = 'PURPOSE_NOT_ALLOWED',
  OPERATOR_REQUIRED = 'OPERATOR_REQUIRED',
  REASON_REQUIRED = 'REASON_REQUIRED',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  RATE_LIMITED = 'RATE_LIMITED',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE',
  /** The access record could not be written: the response is withheld (fail closed). */
  AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** HTTP status for errors that reject the whole request; field errors stay 200. */
const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.AUDIT_UNAVAILABLE]: 503,
};

export class PlatformError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(
    code: ErrorCode,
    message: string,
    options: Omit<GraphQLErrorOptions, 'extensions'> & {
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    const status = HTTP_STATUS[code];
    super(message, {
      ...options,
      extensions: {
        ...options.extensions,
        code,
        ...(status ? { http: { status } } : {}),
      },
    });
    this.code = code;
    this.name = 'PlatformError';
  }
}

export const badUserInput = (message: string, extensions?: Record<string, unknown>) =>
  new PlatformError(ErrorCode.BAD_USER_INPUT, message, extensions ? { extensions } : {});

/** Codes whose messages were written for clients (internal errors never are). */
const CLIENT_CODES = new Set<string>(
  Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
);
/** Apollo Server's own request errors, safe to pass through. */
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** Whether a formatted error reaches the client as written (else it becomes an internal error). */
export function isClientFacing(code: unknown): boolean {
  return CLIENT_CODES.has(String(code)) || APOLLO_CODES.has(String(code));
}

/**
 * Apollo `formatError`: coded errors pass with their message, rid of any submitted value and
 * (unless the schema may be introspected) of "Did you mean" hints; anything else (a bug, a
 * driver error that may quote data) becomes a generic internal error. Stack traces never leave.
 * Departments keep the default: nobody introspects them but the gateway's composition.
 */
export function formatClientError(
  formatted: GraphQLFormattedError,
  options: ClientMessageOptions = { hideSuggestions: true },
): GraphQLFormattedError {
  if (isClientFacing(formatted.extensions?.code)) {
    const { stacktrace: _s, exception: _e, ...extensions } = formatted.extensions ?? {};
    const safe = safeClientMessage(formatted.message, options);
    return {
      ...formatted,
      message: safe.message,
      extensions: { ...extensions, ...safe.extensions },
    };
  }
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
