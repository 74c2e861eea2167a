/** Publishes the population's identity and household composition as the registry holds them. */
import type { Seeder } from '../runtime/definition.ts';
import { insertMany } from '../runtime/seeding.ts';
import type { HouseholdDB, HouseholdRow, PersonRow } from './tables.ts';

export const seeder: Seeder<HouseholdDB> = {
  tables: ['persons', 'households'],
  async seedChunk(db, households) {
    const householdRows: HouseholdRow[] = [];
    const personRows: PersonRow[] = [];
    for (const h of households) {
      householdRows.push({
        id: h.id,
        region: h.county.code,
        prefecture: h.prefecture.code,
        address: h.address,
        hukou_type: h.hukouType,
        head_id: h.members[0]!.id,
        member_count: h.members.length,
      });
      for (const m of h.members) {
        personRows.push({
          id: m.id,
          household_id: h.id,
          name: m.name,
          gender: m.gender,
          birth_date: m.birthDate,
          ethnicity: m.ethnicity,
          relation: m.relation,
          status: m.status,
          hukou_type: h.hukouType,
          region: h.county.code,
        });
      }
    }
    await insertMany(db, 'households', householdRows);
    await insertMany(db, 'persons', personRows);
  },
};
