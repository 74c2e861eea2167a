/** Headers for callers of a test platform, signed with its development keys. */
import {
  issueConsentToken,
  issueDepartmentToken,
  type ConsentTokenOptions,
} from '../../lib/identity/dev-tokens.ts';

export interface CallerSpec {
  dept: string;
  purpose?: string;
  operator?: string | null;
  reason?: string;
  consents?: string[];
  roles?: string[];
}

export async function headersFor(
  dataDir: string,
  spec: CallerSpec,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${await issueDepartmentToken(dataDir, { dept: spec.dept, ...(spec.roles ? { roles: spec.roles } : {}) })}`,
  };
  if (spec.purpose) headers['x-purpose'] = spec.purpose;
  if (spec.operator !== null) headers['x-operator-id'] = spec.operator ?? 'officer-001';
  if (spec.reason) headers['x-access-reason'] = encodeURIComponent(spec.reason);
  if (spec.consents?.length) headers['x-consent-token'] = spec.consents.join(',');
  return headers;
}

export function consentFor(dataDir: string, options: ConsentTokenOptions): Promise<string> {
  return issueConsentToken(dataDir, options);
}
