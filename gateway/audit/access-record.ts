/**
 * One access record per request (DESIGN section 8): who, why, under which consents, what was
 * touched and denied, and the outcome. Identifiers and field names only: never variable values,
 * tokens or returned data.
 */
import type { DeniedField, TouchedGroup } from '../../schema/access-report.ts';

export type Outcome = 'ok' | 'partial' | 'denied' | 'rejected' | 'error';

export interface AccessRecord {
  at: string;
  requestId: string;
  /** Department code, 'citizen', or null when the caller could not be authenticated. */
  dept: string | null;
  client: string | null;
  operator: string | null;
  purpose: string | null;
  caseId: string | null;
  consentIds: string[];
  /** The stated reason of an access that requires one (emergency). */
  reason: string | null;
  /** Lands in the auditors' review queue (emergency access). */
  review: boolean;
  operation: string | null;
  /** SHA-256 of the GraphQL document text. */
  documentHash: string | null;
  /** Subject ("person:<id>", "household:<id>") → fields returned. */
  subjects: Record<string, string[]>;
  /** Categories used directly for a subject (writes, feeds), beyond those of its fields. */
  categories: Record<string, string[]>;
  denied: DeniedField[];
  /** Codes of request-level errors (rejections) and of field errors the response carried. */
  errorCodes: string[];
  outcome: Outcome;
  status: number;
}

/**
 * The same record with the subjects shown the same fields listed once (`touched`, in place of
 * `subjects`): how the log stores a record (stored-record.ts), and how the gateway hands in a
 * request's, built straight from its access report instead of subject by subject and grouped
 * again (a batch review has about a hundred subjects and three field lists).
 */
export type GroupedAccessRecord = Omit<AccessRecord, 'subjects'> & { touched: TouchedGroup[] };

/** What the log appends: a record in either form; it stores both as the grouped one. */
export type RecordToAppend = AccessRecord | GroupedAccessRecord;

/** Outcome from the HTTP status and the response's error codes. */
export function outcomeOf(status: number, errorCodes: string[], hasData: boolean): Outcome {
  if (status >= 500) return 'error';
  if (status >= 400) return 'rejected';
  if (errorCodes.length === 0) return 'ok';
  if (!hasData) return 'error';
  const denials = new Set([
    'FORBIDDEN',
    'CONSENT_REQUIRED',
    'CONSENT_INVALID',
    'CONSENT_EXPIRED',
    'CONSENT_REVOKED',
    'CONSENT_STATUS_UNAVAILABLE',
    'PURPOSE_NOT_ALLOWED',
  ]);
  return errorCodes.every((c) => denials.has(c)) ? 'denied' : 'partial';
}
