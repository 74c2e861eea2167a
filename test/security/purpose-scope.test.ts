/**
 * Purposes reach only the subjects they are about: under disaster relief (catalogue
 * `subjectScope`: households with a damage record of a disaster in the last 180 days, and their
 * members) emergency management reads the damaged household, and nothing of any other, at the
 * root, at depth, in the batch, in every department; when the scope cannot be checked, nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { headersFor } from '../helpers/callers.ts';
import { gql, startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import { departmentDb, residentsByHousehold, type Resident } from '../helpers/registry.ts';

const errorAt = (body: any, path: string) =>
  body.errors?.find((e: any) => e.path?.join('.') === path);

const HOUSEHOLD = `query($id: ID!) { household(id: $id) {
  id address members { id name birthDate } determinations { monthlyAmount }
  disasterDamage { severity } } }`;

describe('purpose subject scope (disaster relief)', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let url: string;
  let headers: Record<string, string>;
  /** Damaged: a damage record assessed today. Spared: no damage record at all. */
  let damaged: Resident[];
  let spared: Resident[];

  const department = (name: string) =>
    platform.departments.departments.find((d) => d.definition.name === name)!;

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(storage);
    url = platform.gateway.url;
    headers = await headersFor(storage.dataDir, {
      dept: 'emergency-management',
      purpose: 'disaster-relief',
    });
    const disaster = departmentDb(platform, 'disaster');
    const withDamage = new Set(
      (await disaster.selectFrom('damage_records').select('household_id').execute()).map(
        (r: { household_id: string }) => r.household_id,
      ),
    );
    const clean = (await residentsByHousehold(platform)).filter(
      (rs) => !withDamage.has(rs[0]!.household_id),
    );
    [damaged, spared] = [clean[0]!, clean[1]!];
    const event = await disaster
      .selectFrom('disaster_events')
      .select('id')
      .orderBy('started_on', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await disaster
      .insertInto('damage_records')
      .values({
        id: 'dmg-scope-test',
        household_id: damaged[0]!.household_id,
        event_id: event.id,
        severity: 'SEVERE',
        estimated_loss: 50_000,
        house_damaged: 1,
        assessed_on: new Date().toISOString().slice(0, 10),
      })
      .execute();
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  it('reads the damaged household, its members and its assistance', async () => {
    const { body } = await gql(url, HOUSEHOLD, { id: damaged[0]!.household_id }, headers);
    expect(body.errors).toBeUndefined();
    expect(body.data.household.members.map((m: any) => m.birthDate).sort()).toEqual(
      damaged.map((r) => r.birth_date).sort(),
    );
    expect(body.data.household.disasterDamage).toContainEqual({ severity: 'SEVERE' });
    expect(body.data.household.determinations).toBeInstanceOf(Array);
  });

  it('reaches nothing of a household outside the scope, in any department', async () => {
    const { body, text } = await gql(url, HOUSEHOLD, { id: spared[0]!.household_id }, headers);
    for (const field of ['members', 'determinations', 'disasterDamage']) {
      const denied = errorAt(body, `household.${field}`);
      expect(denied.extensions.code).toBe('FORBIDDEN');
      expect(denied.message).toMatch(/reaches only households with a damage record/);
      expect(body.data.household[field]).toBeNull();
    }
    expect(body.data.household.address).toMatch(/\*/);
    for (const r of spared) expect(text).not.toContain(r.birth_date);
  });

  it('judges persons by their registered household, at the root and in the batch', async () => {
    const { body, text } = await gql(
      url,
      `query($ids: [ID!]!, $hh: [ID!]!) {
        persons(ids: $ids) { id birthDate assistanceStatus { activePrograms } }
        households(ids: $hh) { id memberCount }
      }`,
      {
        ids: [damaged[0]!.id, spared[0]!.id],
        hh: [damaged[0]!.household_id, spared[0]!.household_id],
      },
      headers,
    );
    expect(body.data.persons[0].birthDate).toBe(damaged[0]!.birth_date);
    expect(errorAt(body, 'persons.0.assistanceStatus')).toBeUndefined();
    expect(body.data.persons[1].birthDate).toBeNull();
    expect(errorAt(body, 'persons.1.birthDate').extensions.code).toBe('FORBIDDEN');
    expect(errorAt(body, 'persons.1.assistanceStatus').extensions.code).toBe('FORBIDDEN');
    expect(body.data.households[0].memberCount).toBe(damaged.length);
    expect(errorAt(body, 'households.1.memberCount').extensions.code).toBe('FORBIDDEN');
    expect(text).not.toContain(spared[0]!.birth_date);
  });

  it('reaches nobody when the scope cannot be checked (fail closed)', async () => {
    await department('disaster').server.close();
    const { body, text } = await gql(url, HOUSEHOLD, { id: damaged[0]!.household_id }, headers);
    const denied = errorAt(body, 'household.members');
    expect(denied.extensions.code).toBe('FORBIDDEN');
    expect(denied.message).toMatch(/could not be checked/);
    for (const r of damaged) expect(text).not.toContain(r.birth_date);
  });
});
