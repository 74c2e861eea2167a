/** Real household numbers and members from the seeded registry, for newcomers to try. */
import type { Kysely } from 'kysely';
import type { HouseholdDB } from './tables.ts';

export interface SampleHousehold {
  household: string;
  members: string[];
}

export async function sampleHouseholds(
  db: Kysely<HouseholdDB>,
  n: number,
): Promise<SampleHousehold[]> {
  // Several-member households make the better first example; order by id for a stable pick.
  const households = await db
    .selectFrom('households')
    .select('id')
    .where('member_count', '>=', 3)
    .orderBy('id')
    .limit(n)
    .execute();
  const ids = households.map((h) => h.id);
  if (ids.length === 0) return [];
  const persons = await db
    .selectFrom('persons')
    .select(['id', 'household_id', 'relation'])
    .where('household_id', 'in', ids)
    .orderBy('household_id')
    .orderBy('id')
    .execute();
  return ids.map((id) => ({
    household: id,
    members: persons
      .filter((p) => p.household_id === id)
      .sort((a, b) => Number(b.relation === 'head') - Number(a.relation === 'head'))
      .map((p) => p.id),
  }));
}
