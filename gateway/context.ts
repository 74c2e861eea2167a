/** The gateway's per-request context: the verified access context and what the record needs. */
import type { AccessContext, ConsentGrant } from '../schema/access.ts';
import type { AccessGuard } from '../subgraphs/runtime/guard.ts';

/** What Apollo answered, captured for the access record without re-parsing the response. */
export interface ResponseSummary {
  operation: string | null;
  errorCodes: string[];
  hasData: boolean;
}

export interface GatewayContext {
  access: AccessContext;
  consentIds: string[];
  /**
   * Usable consents not yet confirmed against the registry: the subject checks move them into
   * `access.grants` once the operation is resolved, just before execution (until then, and if
   * the checks never run, they open nothing).
   */
  unconfirmed: ConsentGrant[];
  /** Decisions of the in-process platform graph; its report also gathers the departments'. */
  guard: AccessGuard;
  /** Filled as the response is sent, for the access record. */
  summary: ResponseSummary;
}
