/**
 * "Act as" presets for the development explorer: ready-made callers with a purpose, an operator
 * and, where the purpose needs one, a consent for the sample household. Development keys only.
 */
import { issueConsentToken, issueDepartmentToken } from '../../lib/identity/dev-tokens.ts';
import type { SampleHousehold } from '../../subgraphs/household/sample.ts';
import type { ExplorerPreset } from './routes.ts';

interface PresetSpec {
  label: string;
  query?: string;
  dept: string;
  purpose?: string;
  consent?: boolean;
  reason?: string;
}

const SPECS: PresetSpec[] = [
  {
    label: 'Civil affairs caseworker · dibao verification (with consent)',
    dept: 'civil-affairs',
    purpose: 'dibao',
    consent: true,
  },
  {
    label: 'Civil affairs caseworker · dibao verification (no consent)',
    dept: 'civil-affairs',
    purpose: 'dibao',
  },
  {
    label: 'Housing · housing assistance (with consent)',
    dept: 'housing',
    purpose: 'housing-assistance',
    consent: true,
  },
  {
    label: 'Healthcare security · medical assistance (with consent)',
    dept: 'healthcare-security',
    purpose: 'medical-assistance',
    consent: true,
  },
  {
    label: 'Education · education assistance (with consent)',
    dept: 'education',
    purpose: 'education-assistance',
    consent: true,
  },
  {
    label: 'Emergency management · emergency access (no consent, reason given)',
    dept: 'emergency-management',
    purpose: 'emergency',
    reason: 'Typhoon evacuation: locating residents',
  },
  {
    label: 'Analyst · statistics only',
    dept: 'analytics',
    purpose: 'statistics',
    query: `query Statistics {
  assistanceStatistics(by: PREFECTURE) { region regionName program households persons monthlyAmount suppressed }
}`,
  },
  {
    label: 'Auditor · emergency accesses awaiting review',
    dept: 'audit',
    query: `query Review {
  emergencyAccesses { records { seq at department reason subjects { subject fields } review { verdict } } }
  accessLogIntegrity { intact checked brokenAt reason }
}`,
  },
];

export async function developmentPresets(
  dataDir: string,
  sample: SampleHousehold,
): Promise<ExplorerPreset[]> {
  const presets: ExplorerPreset[] = [];
  for (const spec of SPECS) {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await issueDepartmentToken(dataDir, { dept: spec.dept })}`,
    };
    if (spec.purpose) headers['X-Purpose'] = spec.purpose;
    if (spec.dept !== 'analytics' && spec.dept !== 'audit')
      headers['X-Operator-Id'] = `${spec.dept}-officer-001`;
    if (spec.reason) headers['X-Access-Reason'] = encodeURIComponent(spec.reason);
    if (spec.consent && spec.purpose) {
      headers['X-Consent-Token'] = await issueConsentToken(dataDir, {
        household: sample.household,
        subjects: sample.members,
        grantees: [spec.dept],
        purpose: spec.purpose,
      });
    }
    presets.push({ label: spec.label, headers, ...(spec.query ? { query: spec.query } : {}) });
  }
  return presets;
}
