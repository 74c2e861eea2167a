/** Writes the event catalogue (once) and each chunk's household damage and relief. */
import type { Kysely } from 'kysely';
import type { Seeder } from '../runtime/definition.ts';
import { insertMany } from '../runtime/seeding.ts';
import { eventsByPrefecture, householdRecords } from './damage.ts';
import { disasterCatalogue, eventRow, type CatalogueEvent } from './events.ts';
import type { DamageRecordRow, DisasterDB, ReliefPaymentRow } from './tables.ts';

async function insertEvents(db: Kysely<DisasterDB>, catalogue: readonly CatalogueEvent[]) {
  // A retried first chunk finds its events already there; conflicts are skipped, not errors.
  await db
    .insertInto('disaster_events')
    .values(catalogue.map(eventRow))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export const seeder: Seeder<DisasterDB> = {
  tables: ['relief_payments', 'damage_records', 'disaster_events'],
  async seedChunk(db, households, seed) {
    // The catalogue depends on the seed alone; every chunk rebuilds it (it is small) to find
    // its households' events, and the first chunk stores it.
    const catalogue = disasterCatalogue(seed);
    if (households[0]?.index === 0) await insertEvents(db, catalogue);
    const byPrefecture = eventsByPrefecture(catalogue);
    const damage: DamageRecordRow[] = [];
    const relief: ReliefPaymentRow[] = [];
    for (const household of households) {
      const records = householdRecords(
        household,
        seed,
        byPrefecture.get(household.prefecture.code) ?? [],
      );
      damage.push(...records.damage);
      relief.push(...records.relief);
    }
    await insertMany(db, 'damage_records', damage);
    await insertMany(db, 'relief_payments', relief);
  },
};
