/**
 * The gateway's registry check: which members the household registry lists in each household,
 * as of the request. A consent covers a person only when the registry lists the person in the
 * consent's household (consent.ts), and a scoped purpose reaches the members of the households
 * in its scope (purpose-scope.ts). The registry answers through a gateway-only field of the
 * household department (`registryMembership`, @inaccessible: not in the API).
 */
import type { ConsentGrant, RejectedConsent } from '../../schema/access.ts';
import { ErrorCode } from '../../schema/errors.ts';

/** Calls one department's gateway-only field (DepartmentDataSource.lookup). */
export type DepartmentLookup = <T>(
  subgraph: string,
  requestId: string,
  query: string,
  variables: Record<string, unknown>,
) => Promise<T>;

export const REGISTRY_SUBGRAPH = 'household';

const MEMBERSHIP = `query RegistryMembership($households: [ID!]!, $persons: [ID!]!) {
  registryMembership(households: $households, persons: $persons) { household members }
}`;

export interface RegistryAnswer {
  /** Household → the identity numbers the registry lists in it. */
  members: Map<string, string[]>;
  /** Person → the household the registry lists them in (for persons asked about). */
  householdOf: Map<string, string>;
}

/** Asks the registry about households and persons at once; unknown ones are left out. */
export async function askRegistry(
  lookup: DepartmentLookup,
  requestId: string,
  households: string[],
  persons: string[] = [],
): Promise<RegistryAnswer> {
  const answer: RegistryAnswer = { members: new Map(), householdOf: new Map() };
  if (households.length === 0 && persons.length === 0) return answer;
  const data = await lookup<{ registryMembership: { household: string; members: string[] }[] }>(
    REGISTRY_SUBGRAPH,
    requestId,
    MEMBERSHIP,
    { households, persons },
  );
  const asked = new Set(persons);
  for (const { household, members } of data.registryMembership) {
    answer.members.set(household, members);
    for (const m of members) if (asked.has(m)) answer.householdOf.set(m, household);
  }
  return answer;
}

/**
 * Makes usable consents grants: each covers only the signers the registry lists in its household
 * (the others are rejected as `not-a-member`); a consent for a household the registry does not
 * list covers nobody. Without the registry's answer (null), none covers anyone: fail closed.
 */
export function confirmGrants(
  unconfirmed: ConsentGrant[],
  members: Map<string, string[]> | null,
): { grants: ConsentGrant[]; rejected: RejectedConsent[] } {
  const grants: ConsentGrant[] = [];
  const rejected: RejectedConsent[] = [];
  for (const c of unconfirmed) {
    const base = { id: c.id, household: c.household, code: ErrorCode.CONSENT_INVALID };
    if (!members) {
      rejected.push({
        ...base,
        subjects: c.subjects,
        code: ErrorCode.CONSENT_STATUS_UNAVAILABLE,
        reason: 'registry-unavailable',
      });
      continue;
    }
    const listed = members.get(c.household);
    if (!listed?.length) {
      rejected.push({ ...base, subjects: c.subjects, reason: 'unknown-household' });
      continue;
    }
    const inHousehold = new Set(listed);
    const outsiders = c.subjects.filter((s) => !inHousehold.has(s));
    if (outsiders.length > 0)
      rejected.push({ ...base, subjects: outsiders, reason: 'not-a-member' });
    grants.push({ ...c, subjects: c.subjects.filter((s) => inHousehold.has(s)), members: listed });
  }
  return { grants, rejected };
}
