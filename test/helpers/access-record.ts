/**
 * An access record as the gateway writes one, for the access log's tests and nothing else: a
 * civil-affairs caseworker's successful read with no subjects; each test overrides what it is
 * about (subjects, outcome, review …).
 */
import type { AccessRecord } from '../../gateway/audit/access-record.ts';

export function accessRecord(overrides: Partial<AccessRecord> = {}): AccessRecord {
  return {
    at: '2026-11-29T00:00:00.000Z',
    requestId: 'r-1',
    dept: 'civil-affairs',
    client: 'client',
    operator: 'officer-1',
    purpose: 'dibao',
    caseId: null,
    consentIds: [],
    reason: null,
    review: false,
    operation: 'HouseholdView',
    documentHash: 'a'.repeat(64),
    subjects: {},
    categories: {},
    denied: [],
    errorCodes: [],
    outcome: 'ok',
    status: 200,
    ...overrides,
  };
}
