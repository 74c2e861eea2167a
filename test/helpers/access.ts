/**
 * Talking to a subgraph directly, as the gateway does: a test gateway key signs access contexts.
 * `fullAccess` is a caseworker whose consents cover the whole test population (for department
 * data tests); security tests build narrower contexts.
 */
import { generateKeyPair } from 'jose';
import type { AccessContext } from '../../schema/access.ts';
import { signAccessContext } from '../../schema/access-context.ts';
import type { AccessReportFormat } from '../../schema/access-report.ts';
import { CATALOGUE } from '../../schema/catalogue.ts';
import { populationChunks } from '../../subgraphs/runtime/seed/population.ts';
import { TEST_HOUSEHOLDS, TEST_SEED, type GraphQLResult } from './platform.ts';

export const testGatewayKeys = await generateKeyPair('EdDSA');

export function accessFor(overrides: Partial<AccessContext> = {}): AccessContext {
  return {
    requestId: 'test-request',
    caller: {
      sub: 'test-client',
      dept: 'civil-affairs',
      kind: 'department',
      roles: ['caseworker'],
    },
    operator: 'officer-1',
    grants: [],
    rejected: [],
    consentStatus: 'ok',
    ...overrides,
  };
}

let everyone: AccessContext | undefined;
/** A tekun review (every category but statistics) with consents for every test household. */
export function fullAccess(): AccessContext {
  if (everyone) return everyone;
  const grants = [];
  for (const chunk of populationChunks(TEST_SEED, TEST_HOUSEHOLDS)) {
    for (const h of chunk) {
      grants.push({
        id: `consent-${h.id}`,
        household: h.id,
        subjects: h.members.map((m) => m.id),
        categories: CATALOGUE.purposes.tekun!.categories,
      });
    }
  }
  everyone = accessFor({ purpose: 'tekun', grants });
  return everyone;
}

/**
 * POSTs a query straight to a subgraph with a signed access context (null: send none), asking
 * for the access report in `reportFormat` (none: as a gateway that predates grouped reports).
 */
export async function subgraphGql(
  url: string,
  subgraph: string,
  query: string,
  variables: Record<string, unknown> = {},
  access: AccessContext | null = fullAccess(),
  reportFormat?: AccessReportFormat,
): Promise<GraphQLResult> {
  const extensions = access
    ? {
        accessContext: await signAccessContext(
          access,
          subgraph,
          query,
          variables,
          testGatewayKeys.privateKey,
          reportFormat ? { reportFormat } : {},
        ),
      }
    : {};
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables, extensions }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}
