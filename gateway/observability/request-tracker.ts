/**
 * Follows each GraphQL request from the moment it arrives to the moment its response is written,
 * and then writes one log line and its metrics. What is recorded is listed here and nothing else:
 * request id, department, client system (never a citizen's: that is an identity number), operation
 * name, HTTP status, outcome, latency, and the error codes returned with their counts. Never
 * variables, tokens, operators, subjects, messages or data.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessContext, Caller } from '../../schema/access.ts';
import { isIdentityNumber } from '../../schema/identity-number.ts';
import type { GatewayContext } from '../context.ts';
import type { Logger } from './logger.ts';
import type { GatewayMetrics, RequestOutcome } from './metrics.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestObservation {
  /** The client's X-Request-Id when well-formed (the access context's wins once known). */
  requestId: string;
  started: number;
}

/** A client system's id, unless it is personal (a citizen's token carries an identity number). */
function clientOf(caller: Caller): string {
  if (caller.kind === 'citizen' || isIdentityNumber(caller.sub)) return caller.kind;
  return caller.sub.slice(0, 128);
}

/** Operation names are client text: kept short, and long digit runs (an id?) blanked. */
export function safeOperationName(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  return name.slice(0, 64).replace(/\d{6,}/g, (digits) => '#'.repeat(digits.length));
}

function outcomeOf(status: number, codes: Record<string, number> | undefined): RequestOutcome {
  if (status >= 500) return 'error';
  if (status >= 400) return 'rejected';
  return codes && Object.keys(codes).length > 0 ? 'partial' : 'ok';
}

/** How a request ended, as the GraphQL route saw it. */
export interface RequestEnd {
  status: number;
  errorCodes: readonly string[];
  /** Present once the caller was authenticated. */
  context: GatewayContext | undefined;
}

export class RequestTracker {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: GatewayMetrics,
  ) {}

  start(headers: IncomingHttpHeaders): RequestObservation {
    const header = headers['x-request-id'];
    const given = typeof header === 'string' ? header.trim() : undefined;
    return {
      requestId: given && REQUEST_ID.test(given) ? given : randomUUID(),
      started: performance.now(),
    };
  }

  private countConsents(access: AccessContext): void {
    for (let i = 0; i < access.grants.length; i++)
      this.metrics.consentChecks.inc({ result: 'granted' });
    for (const rejected of access.rejected)
      this.metrics.consentChecks.inc({ result: rejected.code });
  }

  /** Writes the log line and the metrics. */
  finish(observation: RequestObservation, end: RequestEnd): void {
    const access = end.context?.access;
    const codes: Record<string, number> = {};
    for (const code of end.errorCodes) codes[code] = (codes[code] ?? 0) + 1;
    const outcome = outcomeOf(end.status, codes);
    const seconds = (performance.now() - observation.started) / 1000;
    const department = access?.caller.dept;
    this.metrics.requests.inc({ outcome, department: department ?? 'unknown' });
    this.metrics.requestDuration.observe({ outcome }, seconds);
    for (const [code, n] of Object.entries(codes)) this.metrics.errors.inc({ code }, n);
    if (access) this.countConsents(access);
    // A consent that is not genuine rejects the request before an access context exists.
    else if (codes.CONSENT_INVALID) this.metrics.consentChecks.inc({ result: 'CONSENT_INVALID' });
    this.logger.info(
      {
        requestId: access?.requestId ?? observation.requestId,
        department,
        client: access ? clientOf(access.caller) : undefined,
        operation: safeOperationName(end.context?.summary?.operation),
        status: end.status,
        outcome,
        latencyMs: Math.round(seconds * 10_000) / 10,
        ...(Object.keys(codes).length > 0 ? { codes } : {}),
      },
      'request',
    );
  }
}
