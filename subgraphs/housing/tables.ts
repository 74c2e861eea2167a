/**
 * The housing department's tables: real-estate registry, provident fund, housing support.
 * Rows are type aliases rather than interfaces so that they satisfy insertMany's record type.
 */
import type { Migration } from 'kysely';

export type PropertyUsage = 'residential' | 'commercial' | 'rural_homestead' | 'parking';

/** One registered property (one certificate), however many owners it has. */
export type PropertyRow = {
  certificate_number: string;
  region: string;
  usage: PropertyUsage;
  /** Floor area, m². */
  area: number;
  registered_on: string;
  /** Kept on the property so that `jointlyOwned` needs no second query. */
  owner_count: number;
};

export type PropertyOwnerRow = {
  certificate_number: string;
  person_id: string;
};

export type ProvidentFundStatus = 'active' | 'suspended' | 'closed';

export type ProvidentFundRow = {
  person_id: string;
  status: ProvidentFundStatus;
  /** Monthly wage base the deposits are computed from, CNY (the last one for stopped accounts). */
  contribution_base: number;
  /** Employer and employee rate each, percent (5-12). */
  deposit_rate: number;
  /** Employer plus employee deposit per month; 0 once deposits have stopped. */
  monthly_deposit: number;
  balance: number;
  opened_on: string;
  /** Last month a deposit was made (the month before AS_OF for active accounts). */
  last_deposit_on: string;
};

export type HousingSupportKind =
  'public_rental_housing' | 'rent_subsidy' | 'dilapidated_house_renovation';

export type HousingSupportRow = {
  /** Household number and a sequence: stable across reseeds of the same seed. */
  id: string;
  household_id: string;
  kind: HousingSupportKind;
  status: 'applied' | 'active' | 'ended';
  monthly_amount: number | null;
  grant_amount: number | null;
  since: string;
  until: string | null;
};

export interface HousingDB {
  properties: PropertyRow;
  property_owners: PropertyOwnerRow;
  provident_fund_accounts: ProvidentFundRow;
  housing_support: HousingSupportRow;
}

export const migrations: Record<string, Migration> = {
  '0001_housing': {
    async up(db) {
      await db.schema
        .createTable('properties')
        .addColumn('certificate_number', 'text', (c) => c.primaryKey())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('usage', 'text', (c) => c.notNull())
        .addColumn('area', 'double precision', (c) => c.notNull())
        .addColumn('registered_on', 'text', (c) => c.notNull())
        .addColumn('owner_count', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('property_owners')
        .addColumn('certificate_number', 'text', (c) =>
          c.notNull().references('properties.certificate_number'),
        )
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('property_owners_pk', ['certificate_number', 'person_id'])
        .execute();
      await db.schema
        .createIndex('property_owners_person')
        .on('property_owners')
        .column('person_id')
        .execute();
      await db.schema
        .createTable('provident_fund_accounts')
        .addColumn('person_id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('contribution_base', 'double precision', (c) => c.notNull())
        .addColumn('deposit_rate', 'integer', (c) => c.notNull())
        .addColumn('monthly_deposit', 'double precision', (c) => c.notNull())
        .addColumn('balance', 'double precision', (c) => c.notNull())
        .addColumn('opened_on', 'text', (c) => c.notNull())
        .addColumn('last_deposit_on', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('housing_support')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('monthly_amount', 'double precision')
        .addColumn('grant_amount', 'double precision')
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('until', 'text')
        .execute();
      await db.schema
        .createIndex('housing_support_household')
        .on('housing_support')
        .column('household_id')
        .execute();
    },
  },
};
