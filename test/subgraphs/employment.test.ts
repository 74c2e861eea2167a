import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdRecords, isZeroEmploymentHousehold } from '../../subgraphs/employment/seed.ts';
import {
  addMonths,
  birthdayAt,
  CONTRIBUTION_BASE,
  monthOf,
  monthsInclusive,
} from '../../subgraphs/employment/rules.ts';
import type { LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';
import {
  AS_OF,
  PopulationGenerator,
  type SynthHousehold,
  type SynthPerson,
} from '../../subgraphs/runtime/seed/population.ts';
import { accessFor, fullAccess, subgraphGql } from '../helpers/access.ts';
import {
  launchTestDepartments,
  TEST_HOUSEHOLDS,
  TEST_SEED,
  testStorage,
  type TestStorage,
} from '../helpers/platform.ts';
import { postgresUrl } from '../helpers/services.ts';

const population = new PopulationGenerator(TEST_SEED).take(TEST_HOUSEHOLDS);
const people = population.flatMap((h) => h.members);
const isWorking = (m: SynthPerson) => ['employed', 'flexible', 'farmer'].includes(m.work);
const STATUS = {
  employed: 'EMPLOYED',
  flexible: 'FLEXIBLE',
  farmer: 'AGRICULTURE',
  unemployed: 'UNEMPLOYED',
  retired: 'RETIRED',
  student: 'STUDENT',
  unable: 'NOT_IN_LABOUR_FORCE',
} as const;

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Person { id
    employment { status since employerKind difficulty }
    unemploymentRegistration { registeredOn benefitMonthly benefitUntil }
    socialInsurance { pensionScheme contributionBase contributingMonths lastContributionMonth monthlyPension } }
  ... on Household { id zeroEmployment employedMembers } } }`;

const personRef = (id: string) => ({ __typename: 'Person', id });
const householdRef = (h: SynthHousehold) => ({
  __typename: 'Household',
  id: h.id,
  members: h.members.map((m) => ({ id: m.id })),
});

function employmentSuite(label: string, databaseUrl?: string) {
  describe(`employment subgraph (${label})`, () => {
    let storage: TestStorage;
    let launched: LaunchedDepartments;
    let url: string;

    const entities = async (representations: unknown[], access = fullAccess()) => {
      const { body } = await subgraphGql(
        url,
        'employment',
        ENTITIES,
        { r: representations },
        access,
      );
      return body;
    };
    const statements = () => launched.departments[0]!.database.statementCount;

    beforeAll(async () => {
      storage = testStorage(databaseUrl);
      launched = await launchTestDepartments(storage, ['employment']);
      url = launched.urls.employment!;
    });
    afterAll(async () => {
      await launched?.close();
      await storage?.cleanup();
    });

    it('gives every resident records that agree with their latent work and income', async () => {
      const before = statements();
      const body = await entities(people.map((m) => personRef(m.id)));
      expect(body.errors).toBeUndefined();
      // Hundreds of references, still one query per table.
      expect(statements() - before).toBe(3);
      body.data._entities.forEach((p: any, i: number) => {
        const m = people[i]!;
        expect(p.id).toBe(m.id);
        const insured = p.socialInsurance;
        const monthsSince16 = monthsInclusive(monthOf(birthdayAt(m.birthDate, 16)), '2026-06');
        expect(insured.contributingMonths).toBeLessThanOrEqual(monthsSince16);
        if (m.age < 16) {
          expect(p.employment).toBeNull();
          expect(insured.pensionScheme).toBe('NONE');
          return;
        }
        const e = p.employment;
        expect(e.status).toBe(STATUS[m.work as keyof typeof STATUS]);
        if (m.disability) expect(e.difficulty).toBe('DISABLED');
        if (e.since !== null) expect(e.since <= AS_OF).toBe(true);
        if (m.work === 'employed') {
          expect(['ENTERPRISE', 'PUBLIC_INSTITUTION']).toContain(e.employerKind);
          expect(insured.pensionScheme).toBe('EMPLOYEE');
          const base = Math.min(
            CONTRIBUTION_BASE.ceiling,
            Math.max(CONTRIBUTION_BASE.floor, m.monthlyIncome),
          );
          expect(insured.contributionBase).toBe(base);
          expect(insured.lastContributionMonth).toBe('2026-06');
        } else {
          expect(insured.contributionBase).toBeNull();
        }
        if (m.work === 'flexible')
          expect(['INDIVIDUAL_BUSINESS', 'SELF_EMPLOYED']).toContain(e.employerKind);
        if (m.work === 'farmer') expect(insured.pensionScheme).toBe('URBAN_RURAL_RESIDENT');
        if (m.work === 'student') expect(insured.pensionScheme).toBe('NONE');
        if (m.work === 'retired') {
          expect(insured.monthlyPension).toBeLessThanOrEqual(m.monthlyIncome);
          if (insured.pensionScheme === 'EMPLOYEE')
            expect(insured.monthlyPension).toBe(m.monthlyIncome);
        } else {
          expect(insured.monthlyPension).toBeNull();
        }
        const registration = p.unemploymentRegistration;
        if (m.work !== 'unemployed') expect(registration).toBeNull();
        if (!registration) return;
        expect(registration.registeredOn >= addMonths(AS_OF, -24)).toBe(true);
        expect(registration.registeredOn < AS_OF).toBe(true);
        const entitled = insured.pensionScheme === 'EMPLOYEE' && insured.contributingMonths >= 12;
        expect(registration.benefitMonthly !== null).toBe(entitled);
        if (entitled) {
          expect(registration.benefitMonthly).toBeGreaterThanOrEqual(1458);
          expect(registration.benefitMonthly).toBeLessThanOrEqual(2070);
          expect(registration.benefitUntil <= addMonths(registration.registeredOn, 24)).toBe(true);
        }
      });
      const registered = body.data._entities.filter((p: any) => p.unemploymentRegistration);
      expect(registered.length).toBeGreaterThan(0);
    });

    it('flags zero-employment households from the members the registry shares', async () => {
      const before = statements();
      const body = await entities(population.map(householdRef));
      expect(body.errors).toBeUndefined();
      expect(statements() - before).toBe(1);
      const flags = body.data._entities;
      population.forEach((h, i) => {
        expect(flags[i]).toEqual({
          id: h.id,
          zeroEmployment: isZeroEmploymentHousehold(h),
          employedMembers: h.members.filter(isWorking).length,
        });
      });
      const zero = population.filter(isZeroEmploymentHousehold);
      expect(zero.length).toBeGreaterThan(0);
      // Their working-age members are assessed as such, unless a disability takes precedence.
      const assessed = zero.flatMap((h) => h.members.filter((m) => m.age >= 16 && m.age < 60));
      const records = await entities(assessed.map((m) => personRef(m.id)));
      records.data._entities.forEach((p: any, i: number) => {
        const expected = assessed[i]!.disability ? 'DISABLED' : 'ZERO_EMPLOYMENT_HOUSEHOLD';
        expect(p.employment.difficulty).toBe(expected);
      });
    });

    it('resolves a mixed batch of persons and households with one query per table', async () => {
      const households = population.filter((h) => h.members.length >= 3).slice(0, 5);
      const members = households.flatMap((h) => h.members.map((m) => personRef(m.id)));
      const before = statements();
      const body = await entities([...households.map(householdRef), ...members]);
      expect(body.errors).toBeUndefined();
      expect(body.data._entities).toHaveLength(households.length + members.length);
      // employment_records (persons and @requires flags share it), registrations, insurance.
      expect(statements() - before).toBe(3);
    });

    it('answers null flags when the members could not be shared', async () => {
      const h = population[0]!;
      const body = await entities([
        { __typename: 'Household', id: h.id, members: null },
        { __typename: 'Household', id: h.id, members: [{ id: h.members[0]!.id }, null] },
        { __typename: 'Household', id: h.id },
      ]);
      expect(body.errors).toBeUndefined();
      for (const flags of body.data._entities) {
        expect(flags).toEqual({ id: h.id, zeroEmployment: null, employedMembers: null });
      }
    });

    it('answers references it holds nothing on with empty records, not null entities', async () => {
      const stranger = { id: '11010519491231002X', household: '440106999999999' };
      const access = accessFor({
        purpose: 'tekun',
        grants: [
          {
            id: 'consent-stranger',
            household: stranger.household,
            subjects: [stranger.id],
            categories: ['employment', 'income'],
          },
        ],
      });
      const body = await entities(
        [personRef(stranger.id), { __typename: 'Household', id: stranger.household, members: [] }],
        access,
      );
      expect(body.errors).toBeUndefined();
      expect(body.data._entities).toEqual([
        {
          id: stranger.id,
          employment: null,
          unemploymentRegistration: null,
          socialInsurance: null,
        },
        { id: stranger.household, zeroEmployment: false, employedMembers: 0 },
      ]);
    });

    it('rejects malformed references with BAD_USER_INPUT, without echoing them', async () => {
      const badId = '44010619900101123X';
      const cases = [
        [personRef(badId)],
        [{ __typename: 'Household', id: '12345', members: [] }],
        [{ __typename: 'Household', id: population[0]!.id, members: [{ id: badId }] }],
      ];
      for (const representations of cases) {
        const body = await entities(representations);
        expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(JSON.stringify(body)).not.toContain(badId);
      }
    });

    it('stores exactly the records the generator derives from the seed', async () => {
      const sample = population.slice(0, 5);
      const expected = sample.map((h) => householdRecords(h, TEST_SEED));
      expect(sample.map((h) => householdRecords(h, TEST_SEED))).toEqual(expected);
      const db = launched.departments[0]!.database.db;
      const ids = sample.flatMap((h) => h.members.map((m) => m.id));
      type Keyed = { person_id: string };
      const byId = (rows: Keyed[]) =>
        [...rows].sort((a, b) => a.person_id.localeCompare(b.person_id));
      const tables = {
        employment: 'employment_records',
        registrations: 'unemployment_registrations',
        insurance: 'social_insurance',
      } as const;
      for (const [key, table] of Object.entries(tables) as [keyof typeof tables, string][]) {
        const stored = (await db
          .selectFrom(table)
          .selectAll()
          .where('person_id', 'in', ids)
          .execute()) as Keyed[];
        expect(byId(stored)).toEqual(byId(expected.flatMap((r): Keyed[] => r[key])));
      }
    });
  });
}

employmentSuite('SQLite');
describe.skipIf(!postgresUrl)('on PostgreSQL', () => employmentSuite('PostgreSQL', postgresUrl));
