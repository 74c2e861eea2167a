/** The gateway's per-request context: the verified access context and what the record needs. */
import type { AccessContext } from '../schema/access.ts';

export interface GatewayContext {
  access: AccessContext;
  consentIds: string[];
}
