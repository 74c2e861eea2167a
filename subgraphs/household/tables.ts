/** The household registry's tables. */
import type { Migration } from 'kysely';

export interface PersonRow {
  id: string;
  household_id: string;
  name: string;
  gender: 'male' | 'female';
  birth_date: string;
  ethnicity: string;
  relation: string;
  status: 'active' | 'deceased' | 'moved';
  hukou_type: 'urban' | 'rural';
  region: string;
}

export interface HouseholdRow {
  id: string;
  region: string;
  prefecture: string;
  address: string;
  hukou_type: 'urban' | 'rural';
  head_id: string;
  member_count: number;
}

export interface HouseholdDB {
  persons: PersonRow;
  households: HouseholdRow;
}

export const migrations: Record<string, Migration> = {
  '0001_registry': {
    async up(db) {
      await db.schema
        .createTable('households')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('prefecture', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('hukou_type', 'text', (c) => c.notNull())
        .addColumn('head_id', 'text', (c) => c.notNull())
        .addColumn('member_count', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('persons')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('gender', 'text', (c) => c.notNull())
        .addColumn('birth_date', 'text', (c) => c.notNull())
        .addColumn('ethnicity', 'text', (c) => c.notNull())
        .addColumn('relation', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('hukou_type', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('persons_household')
        .on('persons')
        .column('household_id')
        .execute();
    },
  },
};
