/**
 * What a subgraph knows about a request: who is calling, for which purpose, under which verified
 * consents. The gateway builds it, signs it for each subgraph (access-context.ts), and every
 * field decision (policy.ts) reads only this.
 */
import type { ErrorCode } from './errors.ts';

/** `gateway`: the gateway itself, for its registry and scope checks (never a token's caller). */
export type CallerKind = 'department' | 'platform' | 'citizen' | 'gateway';

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
  /**
   * Identity numbers of the members who signed and whom the registry lists in `household` as of
   * the request: the persons the consent covers. Signers the registry does not list there are in
   * a RejectedConsent with reason `not-a-member`.
   */
  subjects: string[];
  /**
   * Everyone the registry lists in `household` as of the request: writes check their members
   * against it. Set by the gateway; a write under a grant without it is refused (fail closed).
   */
  members?: string[];
  categories: string[];
}

/** Why a genuine consent (or part of it) cannot be used; each reads as its own message. */
export type RejectionReason =
  | 'expired'
  | 'other-department'
  | 'other-purpose'
  | 'lifetime'
  | 'revoked'
  | 'status-unavailable'
  | 'registry-unavailable'
  | 'not-a-member'
  | 'unknown-household';

/** A consent that was presented, correctly signed, but cannot be used (expired, revoked …). */
export interface RejectedConsent {
  id: string;
  household: string;
  /** The persons it would have covered (for `not-a-member`: the signers outside `household`). */
  subjects: string[];
  code: ErrorCode;
  /** Absent from contexts of gateways before reasons: the message then says only "cannot be used". */
  reason?: RejectionReason;
}

/**
 * The subjects a scoped purpose reaches in this request (catalogue `subjectScope`), confirmed by
 * the gateway before execution: the households in scope and their registered members.
 */
export interface SubjectScopeSet {
  households: string[];
  persons: string[];
  /** False when the scope's department or the registry could not answer: nothing is in scope. */
  confirmed: boolean;
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
  /** Set when the purpose has a subject scope; absent means nobody is in scope (fail closed). */
  scope?: SubjectScopeSet;
}

export type Sharing = 'OPEN' | 'CONDITIONAL' | 'AGGREGATE' | 'FUNCTION';
export const SHARING_CLASSES: readonly Sharing[] = ['OPEN', 'CONDITIONAL', 'AGGREGATE', 'FUNCTION'];

export interface Classification {
  category: string;
  sharing: Sharing;
}

/** Whose data a field is: the Person or Household it hangs off, or nobody (root fields). */
export type Subject = { kind: 'person' | 'household'; id: string } | null;
