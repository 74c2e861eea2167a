/**
 * A department answers its access report in the form the signed access context asks for:
 * grouped for the gateway, subject by subject for any caller that did not ask (an older gateway).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessReport } from '../../schema/access-report.ts';
import type { LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';
import { PopulationGenerator } from '../../subgraphs/runtime/seed/population.ts';
import { accessFor, fullAccess, subgraphGql } from '../helpers/access.ts';
import {
  launchTestDepartments,
  TEST_HOUSEHOLDS,
  TEST_SEED,
  testStorage,
  type TestStorage,
} from '../helpers/platform.ts';

const population = new PopulationGenerator(TEST_SEED).take(TEST_HOUSEHOLDS).slice(0, 20);
const people = population.flatMap((h) => h.members);
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Person { id employment { status since } socialInsurance { contributionBase } } } }`;
const representations = people.map((m) => ({ __typename: 'Person', id: m.id }));

describe('a department access report, in the form asked for', () => {
  let storage: TestStorage;
  let launched: LaunchedDepartments;
  let url: string;
  const ask = (access = fullAccess(), format?: 'grouped') =>
    subgraphGql(url, 'employment', ENTITIES, { r: representations }, access, format);

  beforeAll(async () => {
    storage = testStorage();
    launched = await launchTestDepartments(storage, ['employment']);
    url = launched.urls.employment!;
  });
  afterAll(async () => {
    await launched?.close();
    await storage?.cleanup();
  });

  it('groups the subjects shown the same fields only when the context asks', async () => {
    const flat = await ask();
    const grouped = await ask(fullAccess(), 'grouped');
    expect(grouped.body.data).toEqual(flat.body.data);
    const flatReport = flat.body.extensions.accessReport;
    const groupedReport = grouped.body.extensions.accessReport;
    expect(Object.keys(flatReport.touched)).toHaveLength(people.length);
    expect(flatReport).not.toHaveProperty('touchedGroups');
    expect(groupedReport).not.toHaveProperty('touched');
    // Far fewer lists than people: that is the point of the form.
    expect(groupedReport.touchedGroups.length).toBeLessThan(people.length / 4);
    expect(grouped.text.length).toBeLessThan(flat.text.length * 0.8);
    const read = (json: unknown) => {
      const report = new AccessReport();
      report.merge(json);
      return report.toJSON();
    };
    expect(read(groupedReport)).toEqual(read(flatReport));
    expect(read(groupedReport).touched).toEqual(flatReport.touched);
  });

  it('reports the same denials in both forms', async () => {
    // A purpose without consent: the insurance figures are refused for everyone.
    const access = accessFor({ purpose: 'dibao', grants: [] });
    const flat = await ask(access);
    const grouped = await ask(access, 'grouped');
    const denied = flat.body.extensions.accessReport.denied;
    expect(denied.length).toBeGreaterThan(0);
    expect(grouped.body.extensions.accessReport.denied).toEqual(denied);
    expect(grouped.body.errors).toEqual(flat.body.errors);
  });
});
