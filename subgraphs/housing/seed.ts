/** Derives the housing department's records from each synthetic household's latent facts. */
import type { Seeder } from '../runtime/definition.ts';
import type { SynthHousehold } from '../runtime/seed/population.ts';
import { Random } from '../runtime/seed/random.ts';
import { insertMany } from '../runtime/seeding.ts';
import { seedFundAccount } from './seed-fund.ts';
import { seedProperties } from './seed-properties.ts';
import { seedSupport } from './seed-support.ts';
import type {
  HousingDB,
  HousingSupportRow,
  PropertyOwnerRow,
  PropertyRow,
  ProvidentFundRow,
} from './tables.ts';

export interface HousingRecords {
  properties: PropertyRow[];
  owners: PropertyOwnerRow[];
  accounts: ProvidentFundRow[];
  support: HousingSupportRow[];
}

/** One household's records: a pure function of the household and the seed. */
export function housingRecords(h: SynthHousehold, seed: number): HousingRecords {
  const random = new Random(seed, 'housing', h.index);
  const seeded = seedProperties(h, random);
  const homeOwners = new Set(
    seeded
      .filter((s) => s.property.usage !== 'parking' && s.property.usage !== 'commercial')
      .flatMap((s) => s.owners),
  );
  const accounts = h.members.flatMap((member, i) => {
    const memberRandom = new Random(seed, 'housing', h.index, i);
    const account = seedFundAccount(h, member, memberRandom, homeOwners.has(member.id));
    return account ? [account] : [];
  });
  const support = seedSupport(h, random, {
    residence: seeded.some((s) => s.property.usage === 'residential'),
    homestead: seeded.some((s) => s.property.usage === 'rural_homestead'),
  });
  return {
    properties: seeded.map((s) => s.property),
    owners: seeded.flatMap((s) =>
      s.owners.map((person_id) => ({
        certificate_number: s.property.certificate_number,
        person_id,
      })),
    ),
    accounts,
    support,
  };
}

export const seeder: Seeder<HousingDB> = {
  tables: ['property_owners', 'properties', 'provident_fund_accounts', 'housing_support'],
  async seedChunk(db, households, seed) {
    const all: HousingRecords = { properties: [], owners: [], accounts: [], support: [] };
    for (const h of households) {
      const records = housingRecords(h, seed);
      all.properties.push(...records.properties);
      all.owners.push(...records.owners);
      all.accounts.push(...records.accounts);
      all.support.push(...records.support);
    }
    await insertMany(db, 'properties', all.properties);
    await insertMany(db, 'property_owners', all.owners);
    await insertMany(db, 'provident_fund_accounts', all.accounts);
    await insertMany(db, 'housing_support', all.support);
  },
};
