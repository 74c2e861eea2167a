import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';
import {
  PopulationGenerator,
  type SynthHousehold,
  type SynthPerson,
} from '../../subgraphs/runtime/seed/population.ts';
import { medicalRecords } from '../../subgraphs/medical/seed.ts';
import type { AccessContext } from '../../schema/access.ts';
import { CATALOGUE } from '../../schema/catalogue.ts';
import { fullAccess, subgraphGql } from '../helpers/access.ts';
import {
  launchTestDepartments,
  testStorage,
  TEST_HOUSEHOLDS,
  TEST_SEED,
  type TestStorage,
} from '../helpers/platform.ts';
import { postgresUrl } from '../helpers/services.ts';

const POPULATION: SynthHousehold[] = new PopulationGenerator(TEST_SEED).take(TEST_HOUSEHOLDS);
const MEMBERS = POPULATION.flatMap((h) => h.members.map((person) => ({ household: h, person })));
const UNKNOWN_ID = '11010519491231002X';

/** A tekun review whose consents also cover someone the bureau does not know. */
function reviewAccess(): AccessContext {
  const review = fullAccess();
  const stranger = {
    id: 'consent-stranger',
    household: '440106000000001',
    subjects: [UNKNOWN_ID],
    categories: CATALOGUE.purposes.tekun!.categories,
  };
  return { ...review, grants: [...review.grants, stranger] };
}

function medicalGql(url: string, query: string, variables: Record<string, unknown> = {}) {
  return subgraphGql(url, 'medical', query, variables, reviewAccess());
}

const PERSON_FIELDS = `id criticalIllness
  medicalInsurance { scheme status insuredSince premiumSubsidy { kind annualAmount year } }
  year: medicalExpenses { ...summary }
  all: medicalExpenses(months: 36) { ...summary }`;
const SUMMARY_FRAGMENT = `fragment summary on MedicalExpenseSummary {
  months fromMonth toMonth total reimbursed outOfPocket inpatientStays largeExpense
}`;

interface Expenses {
  months: number;
  fromMonth: string;
  toMonth?: string;
  total: number;
  reimbursed: number;
  outOfPocket: number;
  inpatientStays: number;
  largeExpense: boolean;
}
interface MedicalPerson {
  id: string;
  criticalIllness: boolean | null;
  medicalInsurance: {
    scheme: string;
    status: string;
    insuredSince: string | null;
    premiumSubsidy: { kind: string; annualAmount: number; year: number } | null;
  } | null;
  year: Expenses | null;
  all: Expenses | null;
}

async function entities(url: string, ids: string[]): Promise<MedicalPerson[]> {
  const { body } = await medicalGql(
    url,
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { ${PERSON_FIELDS} } } }
    ${SUMMARY_FRAGMENT}`,
    {
      r: ids.map((id) => ({ __typename: 'Person', id })),
    },
  );
  expect(body.errors).toBeUndefined();
  return body.data._entities;
}

function pick(filter: (h: SynthHousehold, p: SynthPerson) => boolean, n = 5): string[] {
  return MEMBERS.filter(({ household, person }) => filter(household, person))
    .slice(0, n)
    .map(({ person }) => person.id);
}

/** Reads and batching that must hold on every storage. */
function coreChecks(context: () => { launched: LaunchedDepartments; url: string }) {
  it("enrols employees in the employee scheme and subsidises recipients' premiums", async () => {
    const { url } = context();
    const employed = pick((_, p) => p.work === 'employed' && p.status === 'active');
    for (const p of await entities(url, employed)) {
      expect(p.medicalInsurance).toMatchObject({
        scheme: 'URBAN_EMPLOYEE',
        status: 'INSURED',
        premiumSubsidy: null,
      });
      expect(p.medicalInsurance!.insuredSince).toMatch(/^\d{4}-\d{2}-01$/);
    }
    const dibao = pick(
      (h, p) => h.need === 'dibao' && p.work !== 'employed' && p.status === 'active',
    );
    expect(dibao.length).toBeGreaterThan(0);
    for (const p of await entities(url, dibao)) {
      expect(p.medicalInsurance).toMatchObject({
        scheme: 'URBAN_RURAL_RESIDENT',
        status: 'INSURED',
      });
      expect(p.medicalInsurance!.premiumSubsidy).toEqual({
        kind: 'FULL',
        annualAmount: 400,
        year: 2026,
      });
    }
  });

  it("sums a person's settled months for the period asked", async () => {
    const { launched, url } = context();
    const db = launched.departments[0]!.database.db;
    const critical = pick((_, p) => p.criticalIllness && p.status === 'active', 1)[0]!;
    const rows: { month: string; total: number; out_of_pocket: number; inpatient_stays: number }[] =
      await db
        .selectFrom('medical_expenses')
        .select(['month', 'total', 'out_of_pocket', 'inpatient_stays'])
        .where('person_id', '=', critical)
        .execute();
    const lastYear = rows.filter((r) => r.month >= '2025-07');
    const [p] = await entities(url, [critical]);
    expect(p!.criticalIllness).toBe(true);
    expect(p!.year).toMatchObject({
      months: 12,
      fromMonth: '2025-07',
      toMonth: '2026-06',
      inpatientStays: lastYear.reduce((s, r) => s + r.inpatient_stays, 0),
    });
    expect(p!.year!.total).toBeCloseTo(
      lastYear.reduce((s, r) => s + r.total, 0),
      2,
    );
    expect(p!.year!.outOfPocket).toBeCloseTo(
      lastYear.reduce((s, r) => s + r.out_of_pocket, 0),
      2,
    );
    expect(p!.all).toMatchObject({ months: 36, fromMonth: '2023-07' });
    expect(p!.all!.total).toBeCloseTo(
      rows.reduce((s, r) => s + r.total, 0),
      2,
    );
    // Critical illness means hospital spells costing tens of thousands.
    expect(p!.all!.inpatientStays).toBeGreaterThan(0);
    expect(p!.all!.total).toBeGreaterThan(20_000);
  });

  it('resolves a batch of people with one query per table, whatever the months asked', async () => {
    const { launched, url } = context();
    const database = launched.departments[0]!.database;
    const ids = pick((_, p) => p.chronicIllness, 8);
    const before = database.statementCount;
    const people = await entities(url, [...ids, UNKNOWN_ID]);
    expect(people).toHaveLength(ids.length + 1);
    // medical_insurance (1) + medical_expenses (1), for both medicalExpenses aliases.
    expect(database.statementCount - before).toBe(2);
  });
}

describe('medical subgraph', () => {
  let storage: TestStorage;
  let launched: LaunchedDepartments;
  let url: string;

  beforeAll(async () => {
    storage = testStorage();
    launched = await launchTestDepartments(storage, ['medical']);
    url = launched.urls.medical!;
  });
  afterAll(async () => {
    await launched?.close();
    await storage?.cleanup();
  });

  coreChecks(() => ({ launched, url }));

  it('agrees with the latent facts across the whole population', async () => {
    const people = new Map(
      (
        await entities(
          url,
          MEMBERS.map((m) => m.person.id),
        )
      ).map((p) => [p.id, p]),
    );
    let uncovered = 0;
    for (const { household, person } of MEMBERS) {
      const p = people.get(person.id)!;
      const insurance = p.medicalInsurance!;
      expect(p.criticalIllness).toBe(person.criticalIllness);
      if (insurance.status !== 'INSURED') uncovered += 1;
      if (insurance.status === 'NOT_INSURED')
        expect(insurance).toMatchObject({ scheme: 'NONE', insuredSince: null });
      if (person.work === 'employed') expect(insurance.scheme).toBe('URBAN_EMPLOYEE');
      else if (insurance.status === 'INSURED')
        expect(insurance.scheme).toBe('URBAN_RURAL_RESIDENT');
      if (household.need !== null && person.status === 'active')
        expect(insurance.status).toBe('INSURED');
      const subsidised =
        insurance.status === 'INSURED' && insurance.scheme === 'URBAN_RURAL_RESIDENT';
      const expected =
        !subsidised || household.need === null
          ? null
          : household.need === 'low-income'
            ? { kind: 'PARTIAL', annualAmount: 200, year: 2026 }
            : { kind: 'FULL', annualAmount: 400, year: 2026 };
      expect(insurance.premiumSubsidy).toEqual(expected);
      if (insurance.insuredSince)
        expect(insurance.insuredSince >= person.birthDate.slice(0, 7)).toBe(true);
      for (const e of [p.year!, p.all!]) {
        expect(Math.round((e.reimbursed + e.outOfPocket) * 100)).toBe(Math.round(e.total * 100));
        expect(e.largeExpense).toBe(e.outOfPocket > (20_000 * e.months) / 12);
      }
      if (insurance.status === 'NOT_INSURED') expect(p.all!.total).toBe(0);
    }
    expect(uncovered / MEMBERS.length).toBeLessThan(0.05);
    // Chronic illness raises spending: compare the groups' average over three years.
    const mean = (chronic: boolean) => {
      const totals = MEMBERS.filter(
        (m) => m.person.chronicIllness === chronic && !m.person.criticalIllness,
      ).map((m) => people.get(m.person.id)!.all!.total);
      return totals.reduce((a, b) => a + b, 0) / totals.length;
    };
    expect(mean(true)).toBeGreaterThan(2 * mean(false));
  });

  it('reimburses by scheme, and more for recipients under medical assistance', async () => {
    const db = launched.departments[0]!.database.db;
    const ratio = async (filter: (h: SynthHousehold, p: SynthPerson) => boolean) => {
      const ids = pick(filter, 200);
      const rows: { total: number; reimbursed: number }[] = await db
        .selectFrom('medical_expenses')
        .select(['total', 'reimbursed'])
        .where('person_id', 'in', ids)
        .execute();
      return rows.reduce((s, r) => s + r.reimbursed, 0) / rows.reduce((s, r) => s + r.total, 0);
    };
    const employee = await ratio((h, p) => p.work === 'employed' && h.need === null);
    const resident = await ratio((h, p) => p.work !== 'employed' && h.need === null);
    const dibao = await ratio(
      (h, p) => p.work !== 'employed' && (h.need === 'dibao' || h.need === 'tekun'),
    );
    expect(employee).toBeGreaterThan(0.7);
    expect(employee).toBeLessThan(0.85);
    expect(resident).toBeGreaterThan(0.5);
    expect(resident).toBeLessThan(0.65);
    expect(dibao).toBeGreaterThan(0.75);
  });

  it('seeds exactly what the generator derives from each household', async () => {
    const db = launched.departments[0]!.database.db;
    for (const household of POPULATION.slice(0, 5)) {
      const records = medicalRecords(household, TEST_SEED);
      expect(medicalRecords(household, TEST_SEED)).toEqual(records);
      const ids = household.members.map((m) => m.id);
      const insurance = await db
        .selectFrom('medical_insurance')
        .selectAll()
        .where('person_id', 'in', ids)
        .orderBy('person_id')
        .execute();
      expect(insurance).toEqual(
        [...records.insurance].sort((a, b) => a.person_id.localeCompare(b.person_id)),
      );
      const expenses = await db
        .selectFrom('medical_expenses')
        .select('person_id')
        .where('person_id', 'in', ids)
        .execute();
      expect(expenses).toHaveLength(records.expenses.length);
    }
  });

  it('covers 1 to 36 settled months and rejects other periods with BAD_USER_INPUT', async () => {
    const id = MEMBERS[0]!.person.id;
    const query = `query($r: [_Any!]!, $m: Int) { _entities(representations: $r) {
      ... on Person { medicalExpenses(months: $m) { fromMonth toMonth } } } }`;
    const { body } = await medicalGql(url, query, { r: [{ __typename: 'Person', id }], m: 1 });
    expect(body.data._entities[0].medicalExpenses).toEqual({
      fromMonth: '2026-06',
      toMonth: '2026-06',
    });
    for (const m of [0, 37, -1, null]) {
      const { body: bad } = await medicalGql(url, query, { r: [{ __typename: 'Person', id }], m });
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0]?.message).toContain('1 to 36');
      // The error must not echo the id (the access report beside it is for the gateway only).
      expect(JSON.stringify(bad.errors)).not.toContain(id);
    }
  });

  it('gives null fields, not errors, for someone the register does not know', async () => {
    const [p] = await entities(url, [UNKNOWN_ID]);
    expect(p).toEqual({
      id: UNKNOWN_ID,
      criticalIllness: null,
      medicalInsurance: null,
      year: null,
      all: null,
    });
  });
});

describe.skipIf(!postgresUrl)('medical subgraph on PostgreSQL', () => {
  let storage: TestStorage;
  let launched: LaunchedDepartments;
  let url: string;

  beforeAll(async () => {
    storage = testStorage(postgresUrl);
    launched = await launchTestDepartments(storage, ['medical']);
    url = launched.urls.medical!;
  });
  afterAll(async () => {
    await launched?.close();
    await storage?.cleanup();
  });

  coreChecks(() => ({ launched, url }));
});
