import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { housingRecords, type HousingRecords } from '../../subgraphs/housing/seed.ts';
import { monthsBetween } from '../../subgraphs/housing/seed-helpers.ts';
import type { HousingDB } from '../../subgraphs/housing/tables.ts';
import type { LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';
import {
  AS_OF,
  populationChunks,
  type SynthHousehold,
  type SynthPerson,
} from '../../subgraphs/runtime/seed/population.ts';
import {
  launchTestDepartments,
  TEST_HOUSEHOLDS,
  TEST_SEED,
  testStorage,
  type TestStorage,
} from '../helpers/platform.ts';
import { postgresUrl } from '../helpers/services.ts';
import { accessFor, fullAccess, subgraphGql } from '../helpers/access.ts';

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Household { id totalPropertyArea propertyCount
    housingSupport { kind status monthlyAmount grantAmount since until } }
  ... on Person { id
    properties { certificateNumber region regionName usage area registeredOn jointlyOwned }
    providentFund { status monthlyDeposit balance openedOn } } } }`;

const population: SynthHousehold[] = [...populationChunks(TEST_SEED, TEST_HOUSEHOLDS)].flat();
const records = new Map<string, HousingRecords>(
  population.map((h) => [h.id, housingRecords(h, TEST_SEED)]),
);
const personById = new Map<string, { person: SynthPerson; household: SynthHousehold }>(
  population.flatMap((household) =>
    household.members.map((person) => [person.id, { person, household }]),
  ),
);
const needy = (h: SynthHousehold) => h.need === 'dibao' || h.need === 'tekun';
const householdRef = (h: SynthHousehold) => ({
  __typename: 'Household',
  id: h.id,
  members: h.members.map((m) => ({ id: m.id })),
});
/** A household whose head and spouse hold one home jointly. */
const jointHousehold = population.find((h) =>
  records.get(h.id)!.properties.some((p) => p.owner_count === 2),
)!;
/** Households with several members and some property: the batch the batching tests send. */
const batch = population
  .filter((h) => h.members.length >= 2 && records.get(h.id)!.properties.length > 0)
  .slice(0, 6);

/** Sends representations to the housing subgraph as the gateway would (full consent by default). */
function entities(url: string, variables: { r: unknown[] }, access = fullAccess()) {
  return subgraphGql(url, 'housing', ENTITIES, variables, access);
}

async function launch(databaseUrl?: string) {
  const storage = testStorage(databaseUrl);
  const launched = await launchTestDepartments(storage, ['housing']);
  return { storage, launched, url: launched.urls.housing! };
}

/** Reads shared by the SQLite and PostgreSQL runs. */
function coreReads(context: () => { launched: LaunchedDepartments; url: string }) {
  it('counts a jointly owned home once for the household and lists it for both owners', async () => {
    const { url } = context();
    const { properties, owners } = records.get(jointHousehold.id)!;
    const joint = properties.find((p) => p.owner_count === 2)!;
    const jointOwners = owners.filter((o) => o.certificate_number === joint.certificate_number);
    const { body } = await entities(url, {
      r: [
        householdRef(jointHousehold),
        ...jointOwners.map((o) => ({ __typename: 'Person', id: o.person_id })),
      ],
    });
    expect(body.errors).toBeUndefined();
    const [household, ...people] = body.data._entities;
    expect(household.propertyCount).toBe(properties.length);
    const area = properties.reduce((sum, p) => sum + p.area, 0);
    expect(household.totalPropertyArea).toBeCloseTo(area, 2);
    expect(people).toHaveLength(2);
    for (const person of people) {
      expect(person.properties).toContainEqual(
        expect.objectContaining({
          certificateNumber: joint.certificate_number,
          area: joint.area,
          jointlyOwned: true,
        }),
      );
    }
  });

  it('resolves a batch of households and members with one SQL query per table', async () => {
    const { launched, url } = context();
    const database = launched.departments[0]!.database;
    const people = batch.flatMap((h) => h.members.map((m) => ({ __typename: 'Person', id: m.id })));
    const before = database.statementCount;
    const { body } = await entities(url, { r: [...batch.map(householdRef), ...people] });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toHaveLength(batch.length + people.length);
    // properties by owner (Person.properties and both household totals) + fund + support
    expect(database.statementCount - before).toBe(3);
    batch.forEach((h, i) =>
      expect(body.data._entities[i].propertyCount).toBe(records.get(h.id)!.properties.length),
    );
  });
}

describe('housing subgraph', () => {
  let storage: TestStorage;
  let launched: LaunchedDepartments;
  let url: string;
  let db: Kysely<HousingDB>;

  beforeAll(async () => {
    ({ storage, launched, url } = await launch());
    db = launched.departments[0]!.database.db as Kysely<HousingDB>;
  });
  afterAll(async () => {
    await launched?.close();
    await storage?.cleanup();
  });

  coreReads(() => ({ launched, url }));

  it('stores exactly the records the generator derives for the seed', async () => {
    const certificates = await db
      .selectFrom('properties')
      .select('certificate_number')
      .orderBy('certificate_number')
      .execute();
    const expected = [...records.values()]
      .flatMap((r) => r.properties.map((p) => p.certificate_number))
      .sort();
    expect(certificates.map((c) => c.certificate_number)).toEqual(expected);
    expect(housingRecords(population[0]!, TEST_SEED)).toEqual(records.get(population[0]!.id));
  });

  it('registers property that agrees with the owners and their households', async () => {
    const rows = await db
      .selectFrom('property_owners')
      .innerJoin(
        'properties',
        'properties.certificate_number',
        'property_owners.certificate_number',
      )
      .selectAll()
      .execute();
    expect(rows.length).toBeGreaterThan(100);
    const AREA = {
      residential: [50, 140],
      rural_homestead: [80, 200],
      commercial: [20, 300],
      parking: [10, 40],
    } as const;
    for (const row of rows) {
      const { person, household } = personById.get(row.person_id)!;
      expect(person.age).toBeGreaterThanOrEqual(25);
      const [, year, city] = /^粤\((\d{4})\)(.+市)不动产权第\d{7}号$/.exec(row.certificate_number)!;
      expect(Number(year)).toBe(Number(row.registered_on.slice(0, 4)));
      expect(city).toBe(household.prefecture.name);
      expect(household.prefecture.counties.map((c) => c.code)).toContain(row.region);
      expect(row.area).toBeGreaterThanOrEqual(AREA[row.usage][0]);
      expect(row.area).toBeLessThanOrEqual(AREA[row.usage][1]);
      expect(row.registered_on <= AS_OF).toBe(true);
      if (row.usage === 'rural_homestead') expect(household.hukouType).toBe('rural');
      if (row.owner_count === 2) expect(['head', 'spouse']).toContain(person.relation);
      // Dibao and tekun households hold a modest flat at most, besides a homestead.
      if (needy(household)) expect(['residential', 'rural_homestead']).toContain(row.usage);
      if (needy(household) && row.usage === 'residential') expect(row.area).toBeLessThan(75);
    }
    const inCounty = rows.filter(
      (r) => r.region === personById.get(r.person_id)!.household.county.code,
    );
    expect(inCounty.length / rows.length).toBeGreaterThan(0.8);
  });

  it('keeps provident fund accounts for formal employees, the unemployed and retirees', async () => {
    const accounts = await db.selectFrom('provident_fund_accounts').selectAll().execute();
    const WORK = { active: 'employed', suspended: 'unemployed', closed: 'retired' } as const;
    expect(accounts.filter((a) => a.status === 'active').length).toBeGreaterThan(50);
    for (const a of accounts) {
      expect(personById.get(a.person_id)!.person.work).toBe(WORK[a.status]);
      expect(a.deposit_rate).toBeGreaterThanOrEqual(5);
      expect(a.deposit_rate).toBeLessThanOrEqual(12);
      expect(a.opened_on < a.last_deposit_on).toBe(true);
      if (a.status === 'closed') expect(a.balance).toBe(0);
      if (a.status !== 'active') expect(a.monthly_deposit).toBe(0);
      if (a.status !== 'active') continue;
      expect(a.monthly_deposit).toBe(2 * Math.round((a.contribution_base * a.deposit_rate) / 100));
      expect(a.balance).toBeLessThanOrEqual(
        a.monthly_deposit * (monthsBetween(a.opened_on, AS_OF) + 1),
      );
    }
    const active = accounts.find((a) => a.status === 'active')!;
    const { body } = await entities(url, {
      r: [{ __typename: 'Person', id: active.person_id }],
    });
    expect(body.data._entities[0].providentFund).toEqual({
      status: 'ACTIVE',
      monthlyDeposit: active.monthly_deposit,
      balance: active.balance,
      openedOn: active.opened_on,
    });
  });

  it('gives housing support mainly to dibao, tekun and low-income households', async () => {
    const support = await db.selectFrom('housing_support').selectAll().execute();
    const households = new Map(population.map((h) => [h.id, h]));
    for (const s of support) {
      const h = households.get(s.household_id)!;
      if (s.kind === 'dilapidated_house_renovation') expect(h.hukouType).toBe('rural');
      if (s.kind === 'rent_subsidy' && s.status !== 'applied')
        expect(s.monthly_amount).toBeGreaterThanOrEqual(200);
      expect(s.monthly_amount ?? 0).toBeLessThanOrEqual(1000);
      if (s.grant_amount !== null) expect(s.grant_amount).toBeGreaterThanOrEqual(20_000);
      expect(s.grant_amount ?? 0).toBeLessThanOrEqual(40_000);
    }
    const supported = new Set(support.map((s) => s.household_id));
    const others = population.filter((h) => h.need === null);
    expect(others.filter((h) => supported.has(h.id)).length / others.length).toBeLessThan(0.03);
    const urbanNeedy = population.filter(
      (h) => needy(h) && h.hukouType === 'urban' && !records.get(h.id)!.properties.length,
    );
    expect(
      urbanNeedy.filter((h) => supported.has(h.id)).length / urbanNeedy.length,
    ).toBeGreaterThan(0.4);
    const example = population.find((h) => needy(h) && supported.has(h.id))!;
    const { body } = await entities(url, { r: [householdRef(example)] });
    expect(body.data._entities[0].housingSupport.length).toBe(
      support.filter((s) => s.household_id === example.id).length,
    );
  });

  it('answers for unknown residents with no records, and withheld members with null totals', async () => {
    const [person, household] = ['11010519491231002X', '440106999999999'];
    const consent = {
      id: 'consent-unknown',
      household,
      subjects: [person],
      categories: ['property', 'provident-fund', 'housing-support'],
    };
    const access = accessFor({ purpose: 'tekun', grants: [...fullAccess().grants, consent] });
    const { body } = await entities(
      url,
      {
        r: [
          { __typename: 'Person', id: person },
          { __typename: 'Household', id: household, members: [] },
          { ...householdRef(jointHousehold), members: null },
          {
            ...householdRef(jointHousehold),
            members: [null, { id: jointHousehold.members[0]!.id }],
          },
        ],
      },
      access,
    );
    expect(body.errors).toBeUndefined();
    const [unknownPerson, unknown, withheld, partial] = body.data._entities;
    expect(unknownPerson).toEqual({ id: person, properties: [], providentFund: null });
    expect(unknown).toMatchObject({ totalPropertyArea: 0, propertyCount: 0, housingSupport: [] });
    expect(withheld).toMatchObject({ totalPropertyArea: null, propertyCount: null });
    expect(partial).toMatchObject({ totalPropertyArea: null, propertyCount: null });
  });

  it('rejects malformed references with BAD_USER_INPUT, without echoing them', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['44010619900101123X', { __typename: 'Person' }],
      ['4401061234', { __typename: 'Household' }],
      ['440106199002301234', { __typename: 'Household', id: jointHousehold.id, members: [] }],
    ];
    for (const [bad, ref] of cases) {
      const r = ref.members ? { ...ref, members: [{ id: bad }] } : { ...ref, id: bad };
      const { body } = await entities(url, { r: [r, householdRef(jointHousehold)] });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.data._entities[0]).toBeNull();
      // The rest of the batch still resolves.
      expect(body.data._entities[1].id).toBe(jointHousehold.id);
      expect(JSON.stringify(body)).not.toContain(bad);
    }
  });
});

describe.skipIf(!postgresUrl)('housing subgraph on PostgreSQL', () => {
  let storage: TestStorage;
  let launched: LaunchedDepartments;
  let url: string;

  beforeAll(async () => {
    ({ storage, launched, url } = await launch(postgresUrl));
  });
  afterAll(async () => {
    await launched?.close();
    await storage?.cleanup();
  });

  coreReads(() => ({ launched, url }));

  it('returns money and areas as numbers', async () => {
    const saver = population
      .flatMap((h) => records.get(h.id)!.accounts)
      .find((a) => a.status === 'active')!;
    const { body } = await entities(url, {
      r: [householdRef(jointHousehold), { __typename: 'Person', id: saver.person_id }],
    });
    expect(typeof body.data._entities[0].totalPropertyArea).toBe('number');
    expect(body.data._entities[1].providentFund).toMatchObject({
      monthlyDeposit: saver.monthly_deposit,
      balance: saver.balance,
    });
  });
});
