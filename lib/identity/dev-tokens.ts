/**
 * Development tokens, signed with the development keys: department tokens as the identity
 * provider would issue them, and consent tokens as the consent authority would. Never in
 * production: the keys are refused there, and the commands that print tokens refuse to run.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { CATALOGUE } from '../../schema/catalogue.ts';
import {
  DEV_AUDIENCE,
  DEV_CONSENT_ISSUER,
  DEV_IDP_ISSUER,
  devKeyFiles,
  ensureDevKeys,
} from './dev-keys.ts';
import { signingKey } from './key-sources.ts';

/** Default roles per department, as the identity provider would assign them to a client system. */
export function defaultRoles(dept: string): string[] {
  if (dept === 'analytics') return ['analyst'];
  if (dept === 'audit') return ['auditor'];
  if (dept === 'consent-authority') return ['consent-admin'];
  if (dept === 'citizen') return ['citizen'];
  if (dept === 'civil-affairs') return ['caseworker', 'determination-writer', 'feedback-writer'];
  return ['caseworker', 'feedback-writer'];
}

export interface DepartmentTokenOptions {
  dept: string;
  roles?: string[];
  sub?: string;
  ttlSeconds?: number;
}

export async function issueDepartmentToken(
  dataDir: string,
  options: DepartmentTokenOptions,
): Promise<string> {
  await ensureDevKeys(dataDir);
  const { key, kid, alg } = await signingKey(devKeyFiles(dataDir, 'idp').privateJwk, {
    refuseDevKeys: false,
  });
  return new SignJWT({ dept: options.dept, roles: options.roles ?? defaultRoles(options.dept) })
    .setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
    .setIssuer(DEV_IDP_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(options.sub ?? `${options.dept}-dev-client`)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 8 * 3600}s`)
    .sign(key);
}

export interface ConsentTokenOptions {
  household: string;
  /** Identity numbers of the members who signed; the first is the applicant. */
  subjects: string[];
  grantees: string[];
  purpose: string;
  /** Defaults to every category the purpose may use. */
  categories?: string[];
  ttlSeconds?: number;
  id?: string;
}

/**
 * The longest a consent for the purpose may last (its catalogue `maxConsentDays`), in seconds;
 * 0 for a purpose no consent is given for. The gateway refuses longer ones (CONSENT_INVALID).
 */
export function maxConsentSeconds(purpose: string): number {
  return (CATALOGUE.purposes[purpose]?.maxConsentDays ?? 0) * 86_400;
}

export async function issueConsentToken(
  dataDir: string,
  options: ConsentTokenOptions,
): Promise<string> {
  const purpose = CATALOGUE.purposes[options.purpose];
  if (!purpose) throw new Error(`unknown purpose "${options.purpose}"`);
  // Not capped at the purpose's maximum here: tests sign over-long letters to see them refused.
  const ttl = options.ttlSeconds ?? 30 * 24 * 3600;
  if (ttl <= 0) throw new Error('a consent must last a positive time');
  await ensureDevKeys(dataDir);
  const files = devKeyFiles(dataDir, 'consent-authority');
  const { key, kid, alg } = await signingKey(files.privateJwk, { refuseDevKeys: false });
  return new SignJWT({
    hh: options.household,
    subjects: options.subjects,
    grantees: options.grantees,
    purpose: options.purpose,
    categories: options.categories ?? purpose.categories,
  })
    .setProtectedHeader({ alg, typ: 'consent+jwt', ...(kid ? { kid } : {}) })
    .setIssuer(DEV_CONSENT_ISSUER)
    .setSubject(options.subjects[0] ?? '')
    .setJti(options.id ?? `consent-${randomUUID()}`)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${ttl}s`)
    .sign(key);
}
