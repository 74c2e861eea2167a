/** A caseworker reading a household under one consent, and the consent authority revoking it. */
import { consentFor, headersFor } from './callers.ts';
import { gql, type GraphQLResult } from './platform.ts';

export const HOUSEHOLD_QUERY = `query($id: ID!) { household(id: $id) { members { birthDate } } }`;

export interface ConsentedRead {
  /** Reads the household's members' birth dates (consent-guarded) through a gateway. */
  read(gatewayUrl: string): Promise<GraphQLResult>;
  revoke(gatewayUrl: string, reason?: string): Promise<GraphQLResult>;
}

export async function consentedRead(
  dataDir: string,
  sample: { household: string; members: string[] },
  consentId: string,
): Promise<ConsentedRead> {
  const consent = await consentFor(dataDir, {
    id: consentId,
    household: sample.household,
    subjects: sample.members,
    grantees: ['civil-affairs'],
    purpose: 'dibao',
  });
  const caseworker = await headersFor(dataDir, {
    dept: 'civil-affairs',
    purpose: 'dibao',
    consents: [consent],
  });
  const authority = await headersFor(dataDir, { dept: 'consent-authority', operator: null });
  return {
    read: (url) => gql(url, HOUSEHOLD_QUERY, { id: sample.household }, caseworker),
    revoke: (url, reason = 'withdrawn at the counter') =>
      gql(
        url,
        `mutation($id: ID!, $reason: String!) {
          revokeConsent(id: $id, reason: $reason) { consentId revokedAt reason }
        }`,
        { id: consentId, reason },
        authority,
      ),
  };
}

/** The refusal code of a consent-guarded read, after checking that nothing guarded came back. */
export function refusal(result: GraphQLResult, members: string[]): string | undefined {
  if (result.body.errors === undefined) return undefined;
  if (result.body.data?.household?.members != null) throw new Error('guarded data was served');
  // Birth dates are the identity numbers' middle digits: none may appear.
  for (const m of members) if (result.text.includes(m.slice(6, 14))) throw new Error('leaked');
  return result.body.errors[0]?.extensions?.code;
}
