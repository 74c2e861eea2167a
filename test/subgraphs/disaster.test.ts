import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsByPrefecture, householdRecords } from '../../subgraphs/disaster/damage.ts';
import { disasterCatalogue, type CatalogueEvent } from '../../subgraphs/disaster/events.ts';
import type { DisasterDB } from '../../subgraphs/disaster/tables.ts';
import type { LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';
import { PREFECTURE_BY_CODE } from '../../subgraphs/runtime/seed/guangdong.ts';
import {
  AS_OF,
  populationChunks,
  type SynthHousehold,
} from '../../subgraphs/runtime/seed/population.ts';
import {
  launchTestDepartments,
  testStorage,
  TEST_HOUSEHOLDS,
  TEST_SEED,
  type TestStorage,
} from '../helpers/platform.ts';
import { accessFor, subgraphGql } from '../helpers/access.ts';
import { postgresUrl } from '../helpers/services.ts';

const LOSS = {
  MINOR: [500, 5000],
  MODERATE: [5000, 30000],
  SEVERE: [30000, 120000],
  DESTROYED: [80000, 300000],
} as const;
const month = (day: string) => Number(day.slice(5, 7));

function population(households: number): SynthHousehold[] {
  return [...populationChunks(TEST_SEED, households)].flat();
}

function recordsOf(households: SynthHousehold[], catalogue: CatalogueEvent[]) {
  const byPrefecture = eventsByPrefecture(catalogue);
  return households.map((h) => ({
    h,
    ...householdRecords(h, TEST_SEED, byPrefecture.get(h.prefecture.code) ?? []),
  }));
}

describe('disaster event catalogue', () => {
  it('is deterministic, 60-120 events, numbered per year', () => {
    expect(disasterCatalogue(TEST_SEED)).toEqual(disasterCatalogue(TEST_SEED));
    for (const seed of [1, 7, 42, 2024, 99]) {
      const events = disasterCatalogue(seed);
      expect(events.length).toBeGreaterThanOrEqual(60);
      expect(events.length).toBeLessThanOrEqual(120);
      for (const e of events) {
        expect(e.id).toMatch(new RegExp(`^DE-${e.started_on.slice(0, 4)}-\\d{4}$`));
        expect(e.started_on >= '2021-01-01' && e.started_on <= '2026-06-30').toBe(true);
        if (e.ended_on !== null)
          expect(e.ended_on >= e.started_on && e.ended_on <= AS_OF).toBe(true);
      }
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    }
  });

  it('follows the seasons and exposures, with mostly level III/IV responses', () => {
    const events = [1, 7, 42, 2024, 99].flatMap(disasterCatalogue);
    for (const e of events) {
      const p = PREFECTURE_BY_CODE.get(e.prefecture)!;
      if (e.kind === 'TYPHOON') {
        expect([7, 8, 9, 10]).toContain(month(e.started_on));
        expect(p.typhoonExposure).toBeGreaterThanOrEqual(0.4);
        expect(e.name).toMatch(/^台风“.+”$/);
      }
      if (e.kind === 'FLOOD' || e.kind === 'RAINSTORM')
        expect([4, 5, 6]).toContain(month(e.started_on));
      if (e.kind === 'LANDSLIDE') expect(p.floodExposure).toBeGreaterThanOrEqual(0.7);
      if (e.kind === 'COLD_WAVE') {
        expect([12, 1, 2]).toContain(month(e.started_on));
        expect(p.area).toBe('north');
      }
    }
    const share = (level: string) =>
      events.filter((e) => e.response_level === level).length / events.length;
    expect(share('III') + share('IV')).toBeGreaterThan(0.75);
    expect(share('I')).toBeLessThan(0.03);
  });
});

describe('household damage and relief rules', () => {
  const households = population(6000);
  const all = recordsOf(households, disasterCatalogue(TEST_SEED));
  const rate = (rows: typeof all) => rows.filter((r) => r.damage.length > 0).length / rows.length;

  it('spares most households and strikes rural and poor ones more often', () => {
    expect(rate(all)).toBeGreaterThan(0.01);
    expect(rate(all)).toBeLessThan(0.08);
    expect(rate(all.filter((r) => r.h.hukouType === 'rural'))).toBeGreaterThan(
      2 * rate(all.filter((r) => r.h.hukouType === 'urban')),
    );
    expect(rate(all.filter((r) => r.h.need !== null))).toBeGreaterThan(
      rate(all.filter((r) => r.h.need === null)),
    );
  });

  it('records damage consistent with severity, and relief that follows it', () => {
    const catalogue = new Map(disasterCatalogue(TEST_SEED).map((e) => [e.id, e]));
    const damage = all.flatMap((r) => r.damage);
    const bySeverity = (s: string) => damage.filter((d) => d.severity === s).length / damage.length;
    expect(bySeverity('MINOR')).toBeGreaterThan(0.5);
    expect(bySeverity('DESTROYED')).toBeLessThan(0.06);
    for (const { h, damage: records, relief } of all) {
      for (const d of records) {
        const event = catalogue.get(d.event_id)!;
        expect(event.prefecture).toBe(h.prefecture.code);
        expect(d.estimated_loss).toBeGreaterThanOrEqual(LOSS[d.severity][0]);
        expect(d.estimated_loss).toBeLessThanOrEqual(LOSS[d.severity][1]);
        expect(d.house_damaged).toBe(d.severity !== 'MINOR' && event.kind !== 'DROUGHT' ? 1 : 0);
        expect(d.assessed_on >= event.started_on && d.assessed_on <= AS_OF).toBe(true);
        const kinds = relief.filter((p) => p.event_id === d.event_id).map((p) => p.kind);
        if (d.severity === 'MINOR')
          expect(kinds.filter((k) => k !== 'WINTER_SPRING_LIVING')).toEqual([]);
        if (d.severity === 'DESTROYED' && d.assessed_on < '2025-12-01')
          expect(kinds).toContain('HOUSE_REBUILDING');
      }
      if (records.length === 0) expect(relief).toEqual([]);
      for (const p of relief) {
        expect(p.paid_on <= AS_OF).toBe(true);
        if (p.event_id !== null)
          expect(p.paid_on > catalogue.get(p.event_id)!.started_on).toBe(true);
        if (p.kind === 'WINTER_SPRING_LIVING')
          expect(h.need !== null || h.perCapitaIncome < 2 * h.dibaoStandard).toBe(true);
      }
    }
    const winterSpring = all
      .flatMap((r) => r.relief)
      .filter((p) => p.kind === 'WINTER_SPRING_LIVING');
    expect(winterSpring.some((p) => p.event_id === null)).toBe(true);
  });
});

function departmentSuite(label: string, databaseUrl?: string) {
  describe(`disaster subgraph (${label})`, () => {
    let storage: TestStorage;
    let launched: LaunchedDepartments;
    let url: string;
    const catalogue = disasterCatalogue(TEST_SEED);
    const expected = recordsOf(population(TEST_HOUSEHOLDS), catalogue);
    const damaged = expected.filter((r) => r.damage.length > 0);
    const spared = expected.find((r) => r.damage.length === 0)!;

    beforeAll(async () => {
      storage = testStorage(databaseUrl);
      launched = await launchTestDepartments(storage, ['disaster']);
      url = launched.urls.disaster!;
    });
    afterAll(async () => {
      await launched?.close();
      await storage?.cleanup();
    });

    it('stores the whole catalogue and exactly the generated household records', async () => {
      const db = launched.departments[0]!.database.db as Kysely<DisasterDB>;
      const ids = async (table: keyof DisasterDB) =>
        (await db.selectFrom(table).select('id').execute()).map((r) => r.id).sort();
      expect(await ids('disaster_events')).toEqual(catalogue.map((e) => e.id).sort());
      const sorted = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
      expect(await ids('damage_records')).toEqual(sorted(expected.flatMap((r) => r.damage)));
      expect(await ids('relief_payments')).toEqual(sorted(expected.flatMap((r) => r.relief)));
    });

    it('resolves a batch of households with one query per table, events included', async () => {
      expect(damaged.length).toBeGreaterThanOrEqual(5);
      const db = launched.departments[0]!.database;
      const representations = [
        ...damaged.map((r) => ({ __typename: 'Household', id: r.h.id })),
        { __typename: 'Household', id: spared.h.id },
      ];
      const before = db.statementCount;
      const { body } = await subgraphGql(
        url,
        'disaster',
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Household { id
          disasterDamage { severity estimatedLoss houseDamaged assessedOn event { id kind prefecture prefectureName } }
          reliefReceived { kind amount paidOn event { id } } } } }`,
        { r: representations },
      );
      expect(body.errors).toBeUndefined();
      // damage_records, relief_payments, disaster_events
      expect(db.statementCount - before).toBe(3);
      const entities = body.data._entities;
      damaged.forEach(({ h, damage, relief }, i) => {
        const got = entities[i];
        expect(got.id).toBe(h.id);
        expect(got.disasterDamage).toHaveLength(damage.length);
        expect(got.reliefReceived).toHaveLength(relief.length);
        for (const d of got.disasterDamage) {
          expect(d.event.prefecture).toBe(h.prefecture.code);
          expect(d.event.prefectureName).toBe(h.prefecture.name);
          expect(d.houseDamaged).toBe(d.severity !== 'MINOR' && d.event.kind !== 'DROUGHT');
        }
        const days = got.disasterDamage.map((d: { assessedOn: string }) => d.assessedOn);
        expect(days).toEqual([...days].sort().reverse());
      });
      expect(entities.at(-1)).toEqual({
        id: spared.h.id,
        disasterDamage: [],
        reliefReceived: [],
      });
    });

    it('resolves a batch of event references with one query, unknown ids as null', async () => {
      const db = launched.departments[0]!.database;
      const ids = catalogue.slice(0, 6).map((e) => e.id);
      const before = db.statementCount;
      const { body } = await subgraphGql(
        url,
        'disaster',
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on DisasterEvent { id kind name startedOn responseLevel } } }`,
        { r: [...ids, 'DE-1999-0001'].map((id) => ({ __typename: 'DisasterEvent', id })) },
      );
      expect(body.errors).toBeUndefined();
      expect(db.statementCount - before).toBe(1);
      expect(body.data._entities.slice(0, 6).map((e: { id: string }) => e.id)).toEqual(ids);
      expect(body.data._entities[6]).toBeNull();
    });

    it('lists events of one prefecture and period, newest first', async () => {
      const { body } = await subgraphGql(
        url,
        'disaster',
        `{ disasterEvents(prefecture: "440800", from: "2022-01-01", to: "2024-12-31", first: 100) { id prefecture startedOn endedOn } }`,
      );
      expect(body.errors).toBeUndefined();
      const want = catalogue
        .filter(
          (e) =>
            e.prefecture === '440800' &&
            e.started_on <= '2024-12-31' &&
            (e.ended_on ?? '9') >= '2022-01-01',
        )
        .map((e) => e.id)
        .reverse();
      expect(body.data.disasterEvents.map((e: { id: string }) => e.id)).toEqual(want);
      const { body: newest } = await subgraphGql(
        url,
        'disaster',
        `{ disasterEvents { id startedOn } }`,
      );
      expect(newest.data.disasterEvents).toHaveLength(20);
      expect(newest.data.disasterEvents[0].id).toBe(catalogue.at(-1)!.id);
    });
  });
}

departmentSuite('SQLite');
describe.skipIf(!postgresUrl)('on PostgreSQL', () => departmentSuite('PostgreSQL', postgresUrl));

describe('disaster subgraph access and input checks', () => {
  let storage: TestStorage;
  let launched: LaunchedDepartments;
  beforeAll(async () => {
    storage = testStorage();
    launched = await launchTestDepartments(storage, ['disaster'], 20);
  });
  afterAll(async () => {
    await launched?.close();
    await storage?.cleanup();
  });

  it.each([
    ['an unknown prefecture', '{ disasterEvents(prefecture: "449900") { id } }'],
    ['a county code as prefecture', '{ disasterEvents(prefecture: "440803") { id } }'],
    ['an impossible day', '{ disasterEvents(from: "2024-02-30") { id } }'],
    ['a day in another format', '{ disasterEvents(to: "2024/06/01") { id } }'],
    ['from after to', '{ disasterEvents(from: "2025-01-01", to: "2024-01-01") { id } }'],
    ['first = 0', '{ disasterEvents(first: 0) { id } }'],
    ['first = 101', '{ disasterEvents(first: 101) { id } }'],
  ])('rejects %s with BAD_USER_INPUT', async (_, query) => {
    const { body } = await subgraphGql(launched.urls.disaster!, 'disaster', query);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.data?.disasterEvents ?? null).toBeNull();
  });

  it('shares events openly but household damage only under a consent', async () => {
    const url = launched.urls.disaster!;
    const { body: events } = await subgraphGql(
      url,
      'disaster',
      '{ disasterEvents(first: 3) { id } }',
      {},
      accessFor(),
    );
    expect(events.errors).toBeUndefined();
    expect(events.data.disasterEvents).toHaveLength(3);
    const { body } = await subgraphGql(
      url,
      'disaster',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Household { id disasterDamage { severity } } } }',
      { r: [{ __typename: 'Household', id: population(1)[0]!.id }] },
      accessFor({ purpose: 'tekun' }),
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');
    expect(body.data._entities[0].disasterDamage).toBeNull();
  });
});
