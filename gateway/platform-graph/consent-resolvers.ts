/** Consent revocation (the consent authority). */
import { badUserInput } from '../../schema/errors.ts';
import type { SharedStore } from '../../lib/store/index.ts';
import type { GatewayContext } from '../context.ts';

/** Consents live at most a year; a revocation is kept a little longer than any consent. */
export const REVOCATION_RETENTION_MS = 400 * 24 * 3600 * 1000;
const CONSENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function consentId(id: string): string {
  if (!CONSENT_ID.test(id)) throw badUserInput('id is not a consent id', { argument: 'id' });
  return id;
}

export function consentResolvers(store: SharedStore) {
  return {
    Query: {
      consentRevocation: (_: unknown, { id }: { id: string }) => store.revocation(consentId(id)),
    },
    Mutation: {
      revokeConsent: async (
        _: unknown,
        args: { id: string; reason: string },
        { access }: GatewayContext,
      ) => {
        const reason = args.reason.trim();
        if (reason.length < 2 || reason.length > 500) {
          throw badUserInput('reason must be 2 to 500 characters', { argument: 'reason' });
        }
        await store.revokeConsent(
          {
            consentId: consentId(args.id),
            revokedAt: new Date().toISOString(),
            revokedBy: `${access.caller.dept}/${access.caller.sub}`,
            reason,
          },
          Date.now() + REVOCATION_RETENTION_MS,
        );
        return store.revocation(args.id);
      },
    },
  };
}
