/** Emergency management's tables: declared events, household damage, relief paid. */
import type { Migration } from 'kysely';

export type DisasterKind =
  'TYPHOON' | 'FLOOD' | 'RAINSTORM' | 'LANDSLIDE' | 'DROUGHT' | 'COLD_WAVE';
export type ResponseLevel = 'I' | 'II' | 'III' | 'IV';
export type DamageSeverity = 'MINOR' | 'MODERATE' | 'SEVERE' | 'DESTROYED';
export type ReliefKind =
  'EMERGENCY_LIVING' | 'TRANSITIONAL_LIVING' | 'WINTER_SPRING_LIVING' | 'HOUSE_REBUILDING';

export interface DisasterEventRow {
  id: string;
  kind: DisasterKind;
  name: string;
  prefecture: string;
  started_on: string;
  /** Null while the response is still in force. */
  ended_on: string | null;
  response_level: ResponseLevel;
}

export interface DamageRecordRow {
  id: string;
  household_id: string;
  event_id: string;
  severity: DamageSeverity;
  estimated_loss: number;
  /** 0 or 1: SQLite has no boolean type. */
  house_damaged: number;
  assessed_on: string;
}

export interface ReliefPaymentRow {
  id: string;
  household_id: string;
  /** Null for winter-spring relief that covers a whole year's disasters. */
  event_id: string | null;
  kind: ReliefKind;
  amount: number;
  paid_on: string;
}

export interface DisasterDB {
  disaster_events: DisasterEventRow;
  damage_records: DamageRecordRow;
  relief_payments: ReliefPaymentRow;
}

export const migrations: Record<string, Migration> = {
  '0001_disaster': {
    async up(db) {
      await db.schema
        .createTable('disaster_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefecture', 'text', (c) => c.notNull())
        .addColumn('started_on', 'text', (c) => c.notNull())
        .addColumn('ended_on', 'text')
        .addColumn('response_level', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('disaster_events_prefecture_started')
        .on('disaster_events')
        .columns(['prefecture', 'started_on'])
        .execute();
      await db.schema
        .createIndex('disaster_events_started')
        .on('disaster_events')
        .column('started_on')
        .execute();
      await db.schema
        .createTable('damage_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull().references('disaster_events.id'))
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('estimated_loss', 'double precision', (c) => c.notNull())
        .addColumn('house_damaged', 'integer', (c) => c.notNull())
        .addColumn('assessed_on', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('damage_records_household')
        .on('damage_records')
        .column('household_id')
        .execute();
      await db.schema
        .createIndex('damage_records_event')
        .on('damage_records')
        .column('event_id')
        .execute();
      await db.schema
        .createTable('relief_payments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.references('disaster_events.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount', 'double precision', (c) => c.notNull())
        .addColumn('paid_on', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('relief_payments_household')
        .on('relief_payments')
        .column('household_id')
        .execute();
      await db.schema
        .createIndex('relief_payments_event')
        .on('relief_payments')
        .column('event_id')
        .execute();
    },
  },
};
