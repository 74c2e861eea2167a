/**
 * Resolvers of HR and social security. Person and Household belong to the household registry:
 * a reference is answered with what this department holds, and nothing when it holds nothing.
 */
import { badUserInput } from '../../schema/errors.ts';
import { isIdentityNumber } from '../../schema/identity-number.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import { assertHouseholdNumber, assertIdentityNumber } from '../runtime/input.ts';
import type { EmploymentLoaders } from './loaders.ts';
import { isWorkingAgeId } from './rules.ts';
import type {
  EmploymentRow,
  EmploymentStatus,
  SocialInsuranceRow,
  UnemploymentRegistrationRow,
} from './tables.ts';

type Context = SubgraphContext<EmploymentLoaders>;

interface PersonRef {
  id: string;
}

/** `members` arrives through @requires; null (or a null member) when it could not be shared. */
interface HouseholdRef {
  id: string;
  members?: readonly ({ id: string } | null)[] | null;
}

interface MemberStatus {
  id: string;
  status: EmploymentStatus | null;
}

const WORKING: ReadonlySet<EmploymentStatus> = new Set(['EMPLOYED', 'FLEXIBLE', 'AGRICULTURE']);

/** Each member's status, from one batched read; null when the member list is incomplete. */
async function memberStatuses(household: HouseholdRef, { loaders }: Context) {
  const members = household.members;
  if (!members || members.some((m) => m === null)) return null;
  const ids = members.map((m) => m!.id);
  if (!ids.every(isIdentityNumber)) {
    throw badUserInput('members must be valid identity numbers', { argument: 'members' });
  }
  const rows = await loaders.employment.loadMany(ids);
  return rows.map((row, i): MemberStatus => {
    if (row instanceof Error) throw row;
    return { id: ids[i]!, status: row?.status ?? null };
  });
}

const isWorking = (m: MemberStatus) => m.status !== null && WORKING.has(m.status);

export const resolvers = {
  Person: {
    __resolveReference: (ref: PersonRef): PersonRef => ({ id: assertIdentityNumber(ref.id) }),
    employment: (p: PersonRef, _: unknown, { loaders }: Context) => loaders.employment.load(p.id),
    unemploymentRegistration: (p: PersonRef, _: unknown, { loaders }: Context) =>
      loaders.registration.load(p.id),
    socialInsurance: (p: PersonRef, _: unknown, { loaders }: Context) =>
      loaders.insurance.load(p.id),
  },
  Household: {
    __resolveReference: (ref: HouseholdRef): HouseholdRef => {
      assertHouseholdNumber(ref.id);
      return ref;
    },
    zeroEmployment: async (h: HouseholdRef, _: unknown, context: Context) => {
      const members = await memberStatuses(h, context);
      if (members === null) return null;
      const workingAge = members.filter((m) => isWorkingAgeId(m.id));
      return workingAge.length > 0 && !workingAge.some(isWorking);
    },
    employedMembers: async (h: HouseholdRef, _: unknown, context: Context) => {
      const members = await memberStatuses(h, context);
      return members === null ? null : members.filter(isWorking).length;
    },
  },
  EmploymentRecord: {
    employerKind: (r: EmploymentRow) => r.employer_kind,
  },
  UnemploymentRegistration: {
    registeredOn: (r: UnemploymentRegistrationRow) => r.registered_on,
    benefitMonthly: (r: UnemploymentRegistrationRow) => r.benefit_monthly,
    benefitUntil: (r: UnemploymentRegistrationRow) => r.benefit_until,
  },
  SocialInsuranceRecord: {
    pensionScheme: (r: SocialInsuranceRow) => r.pension_scheme,
    contributionBase: (r: SocialInsuranceRow) => r.contribution_base,
    contributingMonths: (r: SocialInsuranceRow) => r.contributing_months,
    lastContributionMonth: (r: SocialInsuranceRow) => r.last_contribution_month,
    monthlyPension: (r: SocialInsuranceRow) => r.monthly_pension,
  },
};
