/** Consent revocation (the consent authority). */
import { ErrorCode, PlatformError, badUserInput } from '../../schema/errors.ts';
import type { SharedStore } from '../../lib/store/index.ts';
import { REVOCATION_RETENTION_MS } from '../revocations/retention.ts';
import type { GatewayContext } from '../context.ts';

const CONSENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function consentId(id: string): string {
  if (!CONSENT_ID.test(id)) throw badUserInput('id is not a consent id', { argument: 'id' });
  return id;
}

/** The database (or the store) failed: say so with a code, never with the driver's message. */
async function coded<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PlatformError) throw error;
    throw new PlatformError(ErrorCode.CONSENT_STATUS_UNAVAILABLE, action);
  }
}

export function consentResolvers(store: SharedStore) {
  return {
    Query: {
      consentRevocation: (_: unknown, { id }: { id: string }) =>
        coded('Revocation status is unavailable: retry', () => store.revocation(consentId(id))),
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
        const id = consentId(args.id);
        // Acknowledged only once the revocation is committed to the database.
        return coded(
          'The revocation could not be recorded and has not taken effect: retry',
          async () => {
            await store.revokeConsent(
              {
                consentId: id,
                revokedAt: new Date().toISOString(),
                revokedBy: `${access.caller.dept}/${access.caller.sub}`,
                reason,
              },
              Date.now() + REVOCATION_RETENTION_MS,
            );
            return store.revocation(id);
          },
        );
      },
    },
  };
}
