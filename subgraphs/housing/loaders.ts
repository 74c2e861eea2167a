/** Per-request loaders of the housing department: one query per table per batch. */
import type { Kysely } from 'kysely';
import { groupLoader, optionalRowLoader } from '../runtime/loaders.ts';
import type { HousingDB, PropertyRow } from './tables.ts';

export type OwnedPropertyRow = PropertyRow & { person_id: string };

export function createLoaders(db: Kysely<HousingDB>) {
  return {
    /** Properties by owner: serves Person.properties and the households' totals alike. */
    propertiesByOwner: groupLoader(
      (personIds) =>
        db
          .selectFrom('property_owners')
          .innerJoin(
            'properties',
            'properties.certificate_number',
            'property_owners.certificate_number',
          )
          .selectAll('properties')
          .select('property_owners.person_id')
          .where('property_owners.person_id', 'in', personIds)
          .orderBy('properties.registered_on')
          .orderBy('properties.certificate_number')
          .execute(),
      (row) => row.person_id,
    ),
    providentFund: optionalRowLoader(
      (personIds) =>
        db
          .selectFrom('provident_fund_accounts')
          .selectAll()
          .where('person_id', 'in', personIds)
          .execute(),
      (row) => row.person_id,
    ),
    housingSupport: groupLoader(
      (householdIds) =>
        db
          .selectFrom('housing_support')
          .selectAll()
          .where('household_id', 'in', householdIds)
          .orderBy('since')
          .orderBy('id')
          .execute(),
      (row) => row.household_id,
    ),
  };
}

export type HousingLoaders = ReturnType<typeof createLoaders>;
