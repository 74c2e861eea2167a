/**
 * Builds a request's access context from its headers, before Apollo sees the request: the caller
 * (Authorization), the purpose (X-Purpose), the official (X-Operator-Id), the case (X-Case-Id),
 * the reason (X-Access-Reason, UTF-8 percent-encoded where it is not ASCII) and the consents
 * (X-Consent-Token). Request-level problems throw coded errors; nothing is read from a department.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessContext, ConsentGrant } from '../../schema/access.ts';
import type { Catalogue } from '../../schema/catalogue.ts';
import { ErrorCode, PlatformError, badUserInput } from '../../schema/errors.ts';
import type { Policy } from '../../schema/policy.ts';
import type { CallerAuthenticator } from './caller.ts';
import { consentTokensOf, type ConsentVerifier } from './consent.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const OPERATOR_ID = /^[A-Za-z0-9._@:-]{1,64}$/;
const CASE_ID = /^[A-Za-z0-9._:/-]{1,64}$/;
const MAX_REASON = 500;

export interface RequestAccess {
  access: AccessContext;
  /** Consent ids presented, whether usable or not (for the access record). */
  consentIds: string[];
  /** Usable consents awaiting the registry's confirmation of whom they cover. */
  unconfirmed: ConsentGrant[];
}

export interface RequestAccessOptions {
  authenticate: CallerAuthenticator;
  consents: ConsentVerifier;
  policy: Policy;
  catalogue: Catalogue;
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
}

function checked(value: string | undefined, pattern: RegExp, header: string): string | undefined {
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw badUserInput(`${header} is malformed`, { header });
  return value;
}

function reasonOf(headers: IncomingHttpHeaders): string | undefined {
  const raw = single(headers, 'x-access-reason');
  if (raw === undefined) return undefined;
  let reason: string;
  try {
    reason = decodeURIComponent(raw);
  } catch {
    throw badUserInput('X-Access-Reason must be UTF-8 percent-encoded', {
      header: 'X-Access-Reason',
    });
  }
  if (reason.trim().length < 4 || reason.length > MAX_REASON) {
    throw badUserInput(`X-Access-Reason must say why, in 4 to ${MAX_REASON} characters`, {
      header: 'X-Access-Reason',
    });
  }
  return reason.trim();
}

export function createRequestAccess(options: RequestAccessOptions) {
  return async (headers: IncomingHttpHeaders): Promise<RequestAccess> => {
    const caller = await options.authenticate(single(headers, 'authorization'));
    const requestId =
      checked(single(headers, 'x-request-id'), REQUEST_ID, 'X-Request-Id') ?? randomUUID();
    const purpose = single(headers, 'x-purpose');
    const access: AccessContext = {
      requestId,
      caller,
      grants: [],
      rejected: [],
      consentStatus: 'ok',
    };
    const operator = checked(single(headers, 'x-operator-id'), OPERATOR_ID, 'X-Operator-Id');
    const caseId = checked(single(headers, 'x-case-id'), CASE_ID, 'X-Case-Id');
    const reason = reasonOf(headers);
    if (operator) access.operator = operator;
    if (caseId) access.caseId = caseId;
    if (reason) access.reason = reason;
    if (purpose) {
      access.purpose = purpose;
      const problem = options.policy.purposeProblem(access);
      if (problem && !problem.allow) {
        throw new PlatformError(problem.code, problem.message, {
          extensions: { http: { status: 403 } },
        });
      }
      if (options.catalogue.purposes[purpose]!.reasonRequired && !reason) {
        throw new PlatformError(
          ErrorCode.REASON_REQUIRED,
          `The purpose "${purpose}" requires X-Access-Reason: say why you access this data`,
          { extensions: { http: { status: 400 } } },
        );
      }
    }
    const tokens = consentTokensOf(headers['x-consent-token']);
    if (tokens.length === 0) return { access, consentIds: [], unconfirmed: [] };
    const check = await options.consents.check(tokens, caller, purpose);
    access.rejected = check.rejected;
    access.consentStatus = check.consentStatus;
    return { access, consentIds: check.presented, unconfirmed: check.unconfirmed };
  };
}

export type RequestAccessBuilder = ReturnType<typeof createRequestAccess>;
