/** Per-request loaders of emergency management: one query per table per batch. */
import type { Kysely } from 'kysely';
import { LoadsInFlight, groupLoader, optionalRowLoader } from '../runtime/loaders.ts';
import type { DisasterDB, DisasterEventRow } from './tables.ts';

export interface EventFilter {
  prefecture: string | null;
  from: string | null;
  to: string | null;
  first: number;
}

export function createLoaders(db: Kysely<DisasterDB>) {
  // Damage records and relief payments both name events: their events load in one batch.
  const householdLoads = new LoadsInFlight();
  const event = optionalRowLoader(
    (ids) => db.selectFrom('disaster_events').selectAll().where('id', 'in', ids).execute(),
    (row) => row.id,
    householdLoads,
  );
  return {
    event,
    /** Of `households`, those with a damage record of a disaster active or assessed since `since`. */
    householdsDamagedSince: async (households: string[], since: string) => {
      if (households.length === 0) return [];
      const rows = await db
        .selectFrom('damage_records')
        .innerJoin('disaster_events', 'disaster_events.id', 'damage_records.event_id')
        .select('damage_records.household_id')
        .distinct()
        .where('damage_records.household_id', 'in', households)
        .where((eb) =>
          eb.or([
            eb('disaster_events.started_on', '>=', since),
            eb('disaster_events.ended_on', '>=', since),
            eb('damage_records.assessed_on', '>=', since),
          ]),
        )
        .execute();
      return rows.map((r) => r.household_id);
    },
    damageByHousehold: groupLoader(
      (ids) =>
        householdLoads.track(
          db
            .selectFrom('damage_records')
            .selectAll()
            .where('household_id', 'in', ids)
            .orderBy('household_id')
            .orderBy('assessed_on', 'desc')
            .orderBy('id', 'desc')
            .execute(),
        ),
      (row) => row.household_id,
    ),
    reliefByHousehold: groupLoader(
      (ids) =>
        householdLoads.track(
          db
            .selectFrom('relief_payments')
            .selectAll()
            .where('household_id', 'in', ids)
            .orderBy('household_id')
            .orderBy('paid_on', 'desc')
            .orderBy('id', 'desc')
            .execute(),
        ),
      (row) => row.household_id,
    ),
    /** Events in force at some time in [from, to], newest first; they prime the event loader. */
    async listEvents(filter: EventFilter): Promise<DisasterEventRow[]> {
      let query = db.selectFrom('disaster_events').selectAll();
      if (filter.prefecture !== null) query = query.where('prefecture', '=', filter.prefecture);
      if (filter.to !== null) query = query.where('started_on', '<=', filter.to);
      const from = filter.from;
      if (from !== null) {
        query = query.where((eb) =>
          eb.or([eb('ended_on', 'is', null), eb('ended_on', '>=', from)]),
        );
      }
      const rows = await query
        .orderBy('started_on', 'desc')
        .orderBy('id', 'desc')
        .limit(filter.first)
        .execute();
      for (const row of rows) event.prime(row.id, row);
      return rows;
    },
  };
}

export type DisasterLoaders = ReturnType<typeof createLoaders>;
