/** Resolvers of the household registry. Input is checked here; access decisions are not (runtime). */
import { AS_OF } from '../runtime/seed/population.ts';
import { COUNTY_BY_CODE, PREFECTURE_BY_CODE } from '../runtime/seed/guangdong.ts';
import { badUserInput } from '../../schema/errors.ts';
import { assertHouseholdNumber, assertIdentityNumber } from '../runtime/input.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import type { HouseholdLoaders } from './loaders.ts';
import type { HouseholdRow, PersonRow } from './tables.ts';

type Context = SubgraphContext<HouseholdLoaders>;

/** Largest batch of persons or households one root field takes (a batch review's size). */
const MAX_PERSONS = 100;
/** Largest registry check: every household and person one gateway request can name. */
const MAX_REGISTRY_CHECK = 1000;
const RELATION_ORDER = ['head', 'spouse', 'parent', 'child', 'grandchild', 'sibling'];
const STATUS = { active: 'ACTIVE', deceased: 'DECEASED', moved: 'MOVED_OUT' } as const;

function ageOn(birthDate: string, day: string): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number];
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

function today(): string {
  const now = new Date().toISOString().slice(0, 10);
  // Synthetic birth dates are relative to AS_OF; never report an age before the data's own day.
  return now < AS_OF ? AS_OF : now;
}

export const resolvers = {
  Query: {
    person: (_: unknown, { id }: { id: string }, { loaders }: Context) =>
      loaders.person.load(assertIdentityNumber(id)),
    persons: (_: unknown, { ids }: { ids: string[] }, { loaders }: Context) => {
      if (ids.length > MAX_PERSONS) {
        throw badUserInput(`persons takes at most ${MAX_PERSONS} ids (got ${ids.length})`);
      }
      return loaders.person.loadMany(ids.map((id) => assertIdentityNumber(id)));
    },
    household: (_: unknown, { id }: { id: string }, { loaders }: Context) =>
      loaders.household.load(assertHouseholdNumber(id)),
    households: (_: unknown, { ids }: { ids: string[] }, { loaders }: Context) => {
      if (ids.length > MAX_PERSONS) {
        throw badUserInput(`households takes at most ${MAX_PERSONS} ids (got ${ids.length})`);
      }
      return loaders.household.loadMany(ids.map((id) => assertHouseholdNumber(id)));
    },
    registryMembership: async (
      _: unknown,
      args: { households: string[]; persons: string[] },
      { loaders }: Context,
    ) => {
      if (args.households.length + args.persons.length > MAX_REGISTRY_CHECK) {
        throw badUserInput(`registryMembership takes at most ${MAX_REGISTRY_CHECK} ids`);
      }
      const households = args.households.map((id) => assertHouseholdNumber(id, 'households'));
      const persons = await loaders.person.loadMany(
        args.persons.map((id) => assertIdentityNumber(id, 'persons')),
      );
      for (const person of persons) {
        if (person instanceof Error) throw person;
        if (person) households.push(person.household_id);
      }
      const unique = [...new Set(households)];
      const members = await loaders.members.loadMany(unique);
      return unique.flatMap((household, i) => {
        const rows = members[i];
        if (rows instanceof Error) throw rows;
        return rows && rows.length > 0 ? [{ household, members: rows.map((r) => r.id) }] : [];
      });
    },
  },
  Person: {
    __resolveReference: (ref: { id: string }, { loaders }: Context) => loaders.person.load(ref.id),
    gender: (p: PersonRow) => p.gender.toUpperCase(),
    birthDate: (p: PersonRow) => p.birth_date,
    age: (p: PersonRow) => ageOn(p.birth_date, today()),
    hukouType: (p: PersonRow) => p.hukou_type.toUpperCase(),
    registeredRegion: (p: PersonRow) => p.region,
    registeredRegionName: (p: PersonRow) => COUNTY_BY_CODE.get(p.region)?.county.name ?? null,
    status: (p: PersonRow) => STATUS[p.status],
    household: (p: PersonRow, _: unknown, { loaders }: Context) =>
      loaders.household.load(p.household_id),
    relationToHead: (p: PersonRow) => p.relation.toUpperCase(),
  },
  Household: {
    __resolveReference: (ref: { id: string }, { loaders }: Context) =>
      loaders.household.load(ref.id),
    regionName: (h: HouseholdRow) => COUNTY_BY_CODE.get(h.region)?.county.name ?? null,
    prefectureName: (h: HouseholdRow) => PREFECTURE_BY_CODE.get(h.prefecture)?.name ?? null,
    hukouType: (h: HouseholdRow) => h.hukou_type.toUpperCase(),
    head: (h: HouseholdRow, _: unknown, { loaders }: Context) => loaders.person.load(h.head_id),
    members: async (h: HouseholdRow, _: unknown, { loaders }: Context) => {
      const members = await loaders.members.load(h.id);
      return [...members].sort(
        (a, b) => RELATION_ORDER.indexOf(a.relation) - RELATION_ORDER.indexOf(b.relation),
      );
    },
    memberCount: (h: HouseholdRow) => h.member_count,
  },
};
