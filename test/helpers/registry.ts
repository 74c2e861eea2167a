/** The seeded registry of a test platform, read straight from its household department. */
import type { RunningPlatform } from '../../gateway/platform.ts';

export interface Resident {
  id: string;
  household_id: string;
  birth_date: string;
}

/** A department's database handle, for tests that read or plant its records. */
export function departmentDb(platform: RunningPlatform, name: string) {
  return platform.departments.departments.find((d) => d.definition.name === name)!.database.db;
}

/** Every registered household's members, households in number order. */
export async function residentsByHousehold(platform: RunningPlatform): Promise<Resident[][]> {
  const residents = (await departmentDb(platform, 'household')
    .selectFrom('persons')
    .select(['id', 'household_id', 'birth_date'])
    .orderBy('household_id')
    .orderBy('id')
    .execute()) as Resident[];
  const byHousehold = new Map<string, Resident[]>();
  for (const r of residents) {
    const members = byHousehold.get(r.household_id);
    if (members) members.push(r);
    else byHousehold.set(r.household_id, [r]);
  }
  return [...byHousehold.values()];
}
