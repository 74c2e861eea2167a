/**
 * Resolvers of the housing department. Person and Household belong to the household registry:
 * references are checked and returned as they are, and an unknown resident simply has no records.
 */
import { badUserInput } from '../../schema/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import { assertHouseholdNumber, assertIdentityNumber } from '../runtime/input.ts';
import { COUNTY_BY_CODE } from '../runtime/seed/guangdong.ts';
import type { HousingLoaders, OwnedPropertyRow } from './loaders.ts';
import { round2 } from './seed-helpers.ts';
import type { HousingSupportRow, ProvidentFundRow } from './tables.ts';

type Context = SubgraphContext<HousingLoaders>;

interface PersonReference {
  id: string;
}

/** `members` is there when the router fetched it for @requires; null when it was withheld. */
interface HouseholdReference {
  id: string;
  members?: unknown;
}

/** More than any registered household has; bounds the ids one representation can send. */
const MAX_MEMBERS = 50;

function checkMembers(members: unknown): void {
  if (members === undefined || members === null) return;
  if (!Array.isArray(members)) {
    throw badUserInput('members must be a list', { argument: 'members' });
  }
  if (members.length > MAX_MEMBERS) {
    throw badUserInput(`members takes at most ${MAX_MEMBERS} entries`, { argument: 'members' });
  }
  for (const member of members) {
    const id: unknown = (member as { id?: unknown } | null)?.id;
    if (id !== undefined && id !== null) assertIdentityNumber(String(id), 'members.id');
  }
}

/** Member ids, or null when the registry could not share every member. */
function memberIds(h: HouseholdReference): string[] | null {
  if (!Array.isArray(h.members)) return null;
  const ids: string[] = [];
  for (const member of h.members as unknown[]) {
    const id: unknown = (member as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return null;
    ids.push(id);
  }
  return ids;
}

/** The members' properties, each once however many members own it. */
async function memberProperties(h: HouseholdReference, loaders: HousingLoaders) {
  const ids = memberIds(h);
  if (!ids) return null;
  const owned = await Promise.all(ids.map((id) => loaders.propertiesByOwner.load(id)));
  const byCertificate = new Map(owned.flat().map((p) => [p.certificate_number, p]));
  return [...byCertificate.values()];
}

export const resolvers = {
  Person: {
    // Async so that a bad reference fails alone: a synchronous throw would fail the whole batch.
    __resolveReference: async (ref: PersonReference) => {
      assertIdentityNumber(ref.id);
      return ref;
    },
    properties: (p: PersonReference, _: unknown, { loaders }: Context) =>
      loaders.propertiesByOwner.load(p.id),
    providentFund: (p: PersonReference, _: unknown, { loaders }: Context) =>
      loaders.providentFund.load(p.id),
  },
  Household: {
    __resolveReference: async (ref: HouseholdReference) => {
      assertHouseholdNumber(ref.id);
      checkMembers(ref.members);
      return ref;
    },
    housingSupport: (h: HouseholdReference, _: unknown, { loaders }: Context) =>
      loaders.housingSupport.load(h.id),
    totalPropertyArea: async (h: HouseholdReference, _: unknown, { loaders }: Context) => {
      const properties = await memberProperties(h, loaders);
      return properties && round2(properties.reduce((sum, p) => sum + p.area, 0));
    },
    propertyCount: async (h: HouseholdReference, _: unknown, { loaders }: Context) =>
      (await memberProperties(h, loaders))?.length ?? null,
  },
  Property: {
    certificateNumber: (p: OwnedPropertyRow) => p.certificate_number,
    regionName: (p: OwnedPropertyRow) => COUNTY_BY_CODE.get(p.region)?.county.name ?? null,
    usage: (p: OwnedPropertyRow) => p.usage.toUpperCase(),
    registeredOn: (p: OwnedPropertyRow) => p.registered_on,
    jointlyOwned: (p: OwnedPropertyRow) => p.owner_count > 1,
  },
  ProvidentFundAccount: {
    status: (a: ProvidentFundRow) => a.status.toUpperCase(),
    monthlyDeposit: (a: ProvidentFundRow) => a.monthly_deposit,
    openedOn: (a: ProvidentFundRow) => a.opened_on,
  },
  HousingSupport: {
    kind: (s: HousingSupportRow) => s.kind.toUpperCase(),
    status: (s: HousingSupportRow) => s.status.toUpperCase(),
    monthlyAmount: (s: HousingSupportRow) => s.monthly_amount,
    grantAmount: (s: HousingSupportRow) => s.grant_amount,
  },
};
