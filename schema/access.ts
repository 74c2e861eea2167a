/**
 * What a subgraph knows about a request: who is calling, for which purpose, under which verified
 * consents. The gateway builds it, signs it for each subgraph (access-context.ts), and every
 * field decision (policy.ts) reads only this.
 */
import type { ErrorCode } from './errors.ts';

export type CallerKind = 'department' | 'platform' | 'citizen';

export interface Caller {
  /** Client system (token `sub`); for a citizen, their identity number. */
  sub: string;
  /** Department code (token `dept`). */
  dept: string;
  kind: CallerKind;
  roles: string[];
}

/** A verified consent (authorization letter) that the request may use. */
export interface ConsentGrant {
  id: string;
  household: string;
  /** Identity numbers of the members who signed. */
  subjects: string[];
  categories: string[];
}

/** A consent that was presented, correctly signed, but cannot be used (expired, revoked …). */
export interface RejectedConsent {
  id: string;
  household: string;
  subjects: string[];
  code: ErrorCode;
}

export interface AccessContext {
  requestId: string;
  caller: Caller;
  operator?: string;
  purpose?: string;
  reason?: string;
  caseId?: string;
  grants: ConsentGrant[];
  rejected: RejectedConsent[];
  /** 'unavailable' when revocation status could not be read: consent-based access fails closed. */
  consentStatus: 'ok' | 'unavailable';
}

export type Sharing = 'OPEN' | 'CONDITIONAL' | 'AGGREGATE' | 'FUNCTION';
export const SHARING_CLASSES: readonly Sharing[] = ['OPEN', 'CONDITIONAL', 'AGGREGATE', 'FUNCTION'];

export interface Classification {
  category: string;
  sharing: Sharing;
}

/** Whose data a field is: the Person or Household it hangs off, or nobody (root fields). */
export type Subject = { kind: 'person' | 'household'; id: string } | null;
