import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARDS } from '../../schema/standards.ts';
import { MIN_DIBAO_PAYMENT } from '../../subgraphs/assistance/rules.ts';
import { determinationRows } from '../../subgraphs/assistance/seed.ts';
import type { AssistanceDB, DeterminationRow } from '../../subgraphs/assistance/tables.ts';
import type { LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';
import { AS_OF, PopulationGenerator } from '../../subgraphs/runtime/seed/population.ts';
import { accessFor, fullAccess, subgraphGql } from '../helpers/access.ts';
import {
  launchTestDepartments,
  testStorage,
  TEST_HOUSEHOLDS,
  TEST_SEED,
  type TestStorage,
} from '../helpers/platform.ts';
import { postgresUrl } from '../helpers/services.ts';

const population = new PopulationGenerator(TEST_SEED).take(TEST_HOUSEHOLDS);
const householdById = new Map(population.map((h) => [h.id, h]));
const idsWithNeed = (need: string) =>
  population
    .filter((h) => h.need === need)
    .map((h) => h.id)
    .sort();

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Person { id assistanceStatus { activePrograms since phasingOut } }
  ... on Household { id determinations { id caseId program decision decidedOn effectiveFrom
    effectiveTo monthlyAmount reviewCycleMonths nextReviewOn coveredMembers } } } }`;

/** A member a household-wide determination covers (registered and alive). */
const coveredMember = (householdId: string) =>
  householdById.get(householdId)!.members.find((m) => m.status === 'active')!.id;

const refs = (typename: 'Person' | 'Household', ids: string[]) =>
  ids.map((id) => ({ __typename: typename, id }));

function monthsBetween(from: string, to: string): number {
  return (
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7))
  );
}

function assistanceSuite(databaseUrl: string | undefined) {
  let storage: TestStorage;
  let launched: LaunchedDepartments;
  let url: string;
  let rows: DeterminationRow[];
  const entities = async (representations: object[], access = fullAccess()) => {
    const { body } = await subgraphGql(url, 'assistance', ENTITIES, { r: representations }, access);
    expect(body.errors).toBeUndefined();
    return body.data._entities;
  };
  const currentHouseholds = (program: string) =>
    [
      ...new Set(
        rows
          .filter(
            (r) => r.program === program && r.decision === 'APPROVED' && r.effective_to === null,
          )
          .map((r) => r.household_id),
      ),
    ].sort();

  beforeAll(async () => {
    storage = testStorage(databaseUrl);
    launched = await launchTestDepartments(storage, ['assistance']);
    url = launched.urls.assistance!;
    const db = launched.departments[0]!.database.db as Kysely<AssistanceDB>;
    rows = await db.selectFrom('determinations').selectAll().orderBy('sequence').execute();
  });
  afterAll(async () => {
    await launched?.close();
    await storage?.cleanup();
  });

  it('stores exactly the deterministic rows the generator derives, with numbers as numbers', () => {
    expect(rows).toEqual(determinationRows(population, TEST_SEED).determinations);
  });

  it('approves dibao, tekun and low-income exactly for the households whose latent need says so', () => {
    expect(currentHouseholds('DIBAO')).toEqual(idsWithNeed('dibao'));
    expect(currentHouseholds('TEKUN')).toEqual(idsWithNeed('tekun'));
    expect(currentHouseholds('LOW_INCOME')).toEqual(idsWithNeed('low-income'));
    // Realistic shares for 300 households: a few percent on dibao, most without any record.
    expect(idsWithNeed('dibao').length).toBeGreaterThanOrEqual(3);
    expect(idsWithNeed('dibao').length).toBeLessThan(TEST_HOUSEHOLDS * 0.1);
    expect(new Set(rows.map((r) => r.household_id)).size).toBeLessThan(TEST_HOUSEHOLDS * 0.3);
    expect(rows.some((r) => r.program === 'DIBAO' && r.decision === 'REJECTED')).toBe(true);
    const oneOff = rows.filter((r) => r.program === 'TEMPORARY_ASSISTANCE');
    expect(oneOff.length).toBeGreaterThan(0);
    for (const r of oneOff) {
      expect(monthsBetween(r.effective_from, r.effective_to!)).toBeGreaterThanOrEqual(1);
      expect(monthsBetween(r.effective_from, r.effective_to!)).toBeLessThanOrEqual(3);
      expect(r.monthly_amount).toBeGreaterThan(0);
    }
  });

  it('pays and reviews by the standards, newest determination first', async () => {
    const ids = [...idsWithNeed('dibao'), ...idsWithNeed('tekun'), ...idsWithNeed('low-income')];
    for (const h of await entities(refs('Household', ids))) {
      const latent = householdById.get(h.id)!;
      const present = latent.members.filter((m) => m.status === 'active').length || 1;
      const decided = h.determinations.map((d: { decidedOn: string }) => d.decidedOn);
      expect(decided).toEqual([...decided].sort().reverse());
      const current = h.determinations.find(
        (d: { effectiveTo: string | null; decision: string }) =>
          d.decision === 'APPROVED' && d.effectiveTo === null,
      );
      expect(current.caseId).toMatch(new RegExp(`^MZ-${latent.county.code}-20\\d\\d-\\d{6}$`));
      expect(current.effectiveFrom >= '2020-07-01' && current.effectiveFrom <= '2025-07-01').toBe(
        true,
      );
      expect(current.nextReviewOn > AS_OF).toBe(true);
      expect(monthsBetween(AS_OF, current.nextReviewOn)).toBeLessThanOrEqual(
        current.reviewCycleMonths,
      );
      expect(
        monthsBetween(current.effectiveFrom, current.nextReviewOn) % current.reviewCycleMonths,
      ).toBe(0);
      if (latent.need === 'tekun') {
        expect(current).toMatchObject({
          program: 'TEKUN',
          coveredMembers: 1,
          reviewCycleMonths: STANDARDS.reviewMonths.tekun,
        });
        expect(current.monthlyAmount).toBe(
          Math.round(STANDARDS.tekunSupportFactor * latent.dibaoStandard),
        );
      } else if (latent.need === 'dibao') {
        const variable = latent.members.some((m) => m.work === 'employed' || m.work === 'flexible');
        const cycle = variable
          ? STANDARDS.reviewMonths.variableDibao
          : STANDARDS.reviewMonths.stableDibao;
        expect(current).toMatchObject({
          program: 'DIBAO',
          coveredMembers: present,
          reviewCycleMonths: cycle,
        });
        const gap = Math.round((latent.dibaoStandard - latent.perCapitaIncome) * present);
        expect(current.monthlyAmount).toBe(Math.max(gap, MIN_DIBAO_PAYMENT));
      } else {
        expect(current).toMatchObject({
          program: 'LOW_INCOME',
          monthlyAmount: null,
          coveredMembers: present,
        });
        expect(current.reviewCycleMonths).toBe(STANDARDS.reviewMonths.lowIncome);
      }
    }
  });

  it("reports members' current programs; superseded, rejected and ended ones do not count", async () => {
    // A dibao household that held low-income status before: only dibao is current.
    const dibao = householdById.get(
      idsWithNeed('dibao').find((id) =>
        rows.some((r) => r.household_id === id && r.program === 'LOW_INCOME'),
      )!,
    )!;
    const since = rows.find(
      (r) => r.household_id === dibao.id && r.program === 'DIBAO' && r.decision === 'APPROVED',
    )!.effective_from;
    const covered = dibao.members.filter((m) => m.status === 'active').map((m) => m.id);
    const inactive = (r: DeterminationRow) =>
      r.decision === 'REJECTED' || (r.effective_to !== null && r.effective_to < AS_OF);
    const ownRows = (id: string) => rows.filter((r) => r.household_id === id);
    const without = population.find((h) => ownRows(h.id).length === 0)!;
    const pastOnly = population.find(
      (h) => ownRows(h.id).length > 0 && ownRows(h.id).every(inactive),
    )!;
    const others = [without, pastOnly].map((h) => h.members[0]!.id);
    const result = await entities(refs('Person', [...covered, ...others]));
    for (const p of result.slice(0, covered.length)) {
      expect(p.assistanceStatus).toEqual({ activePrograms: ['DIBAO'], since, phasingOut: false });
    }
    for (const p of result.slice(covered.length)) {
      expect(p.assistanceStatus).toEqual({ activePrograms: [], since: null, phasingOut: false });
    }
  });

  it('keeps dibao active while a terminated household phases out after employment', async () => {
    const phasing = rows.filter((r) => r.decision === 'TERMINATED' && r.effective_to! >= AS_OF);
    expect(phasing.length).toBeGreaterThanOrEqual(1);
    for (const r of phasing) {
      const latent = householdById.get(r.household_id)!;
      expect(latent.need).toBeNull();
      expect(latent.members.some((m) => m.work === 'employed')).toBe(true);
      expect(monthsBetween(AS_OF, r.effective_to!)).toBeLessThanOrEqual(STANDARDS.phaseOutMonths);
    }
    const [person] = await entities(refs('Person', [coveredMember(phasing[0]!.household_id)]));
    expect(person.assistanceStatus).toMatchObject({ activePrograms: ['DIBAO'], phasingOut: true });
  });

  it('resolves a batch of references with one SQL query per entity type', async () => {
    const db = launched.departments[0]!.database;
    const households = idsWithNeed('dibao').slice(0, 5);
    const persons = households.map(coveredMember);
    const before = db.statementCount;
    const result = await entities([...refs('Person', persons), ...refs('Household', households)]);
    expect(result).toHaveLength(10);
    expect(
      result
        .slice(0, 5)
        .every((p: { assistanceStatus: { activePrograms: string[] } }) =>
          p.assistanceStatus.activePrograms.includes('DIBAO'),
        ),
    ).toBe(true);
    // determinations by household (1) + coverage by person (1)
    expect(db.statementCount - before).toBe(2);
  });

  it('answers unknown ids with empty results, and malformed ones with BAD_USER_INPUT', async () => {
    // Emergency access needs no consent, so ids outside the population get past the policy.
    const emergency = accessFor({ purpose: 'emergency', reason: 'typhoon evacuation' });
    const [person, household] = await entities(
      [...refs('Person', ['11010519491231002X']), ...refs('Household', ['440106999999999'])],
      emergency,
    );
    expect(person.assistanceStatus).toEqual({ activePrograms: [], since: null, phasingOut: false });
    expect(household.determinations).toEqual([]);
    for (const [typename, bad] of [
      ['Person', '44010619900101123X'],
      ['Household', '9901061234'],
    ] as const) {
      const { body } = await subgraphGql(
        url,
        'assistance',
        ENTITIES,
        { r: refs(typename, [bad]) },
        emergency,
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(body)).not.toContain(bad);
    }
  });
}

describe('assistance subgraph', () => assistanceSuite(undefined));
describe.skipIf(!postgresUrl)('assistance subgraph on PostgreSQL', () =>
  assistanceSuite(postgresUrl),
);
