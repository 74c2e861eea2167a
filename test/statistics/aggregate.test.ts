/** Aggregate statistics for analysts: counts by region with small-cell suppression, nobody else. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { CATALOGUE } from '../../schema/catalogue.ts';
import { headersFor } from '../helpers/callers.ts';
import { gql, startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';

const STATISTICS = `query($by: RegionLevel, $program: AssistanceProgram) {
  assistanceStatistics(by: $by, program: $program) { region regionName program households persons monthlyAmount suppressed }
}`;

describe('assistance statistics', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(storage, { SEED_HOUSEHOLDS: '3000' });
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  it('gives analysts counts by prefecture, suppressing cells below the threshold', async () => {
    const analyst = await headersFor(storage.dataDir, {
      dept: 'analytics',
      purpose: 'statistics',
      operator: null,
    });
    const { body } = await gql(platform.gateway.url, STATISTICS, { by: 'PREFECTURE' }, analyst);
    expect(body.errors).toBeUndefined();
    const rows = body.data.assistanceStatistics;
    expect(rows.length).toBeGreaterThan(5);
    const threshold = CATALOGUE.smallCellThreshold;
    for (const row of rows) {
      expect(row.region).toMatch(/^44\d{2}00$/);
      if (row.suppressed)
        expect([row.households, row.persons, row.monthlyAmount]).toEqual([null, null, null]);
      else expect(row.households).toBeGreaterThanOrEqual(threshold);
    }
    expect(rows.some((r: any) => !r.suppressed)).toBe(true);
    expect(rows.some((r: any) => r.suppressed)).toBe(true);
    // No identity number or household number anywhere.
    expect(JSON.stringify(body)).not.toMatch(/\d{15}/);
  });

  it('suppresses more at county level, where cells are smaller', async () => {
    const analyst = await headersFor(storage.dataDir, {
      dept: 'analytics',
      purpose: 'statistics',
      operator: null,
    });
    const prefecture = (
      await gql(platform.gateway.url, STATISTICS, { by: 'PREFECTURE', program: 'DIBAO' }, analyst)
    ).body.data.assistanceStatistics;
    const county = (
      await gql(platform.gateway.url, STATISTICS, { by: 'COUNTY', program: 'DIBAO' }, analyst)
    ).body.data.assistanceStatistics;
    const share = (rows: any[]) => rows.filter((r) => r.suppressed).length / rows.length;
    expect(share(county)).toBeGreaterThan(share(prefecture));
  });

  it('refuses statistics to a caseworker purpose, and person data to analysts', async () => {
    const caseworker = await headersFor(storage.dataDir, {
      dept: 'civil-affairs',
      purpose: 'dibao',
    });
    const denied = await gql(platform.gateway.url, STATISTICS, {}, caseworker);
    expect(denied.body.data.assistanceStatistics).toBeNull();
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const analyst = await headersFor(storage.dataDir, {
      dept: 'analytics',
      purpose: 'statistics',
      operator: null,
    });
    const person = await gql(
      platform.gateway.url,
      `query($id: ID!) { household(id: $id) { members { name } } }`,
      { id: platform.sample!.household },
      analyst,
    );
    expect(person.body.data.household).toBeNull();
    expect(person.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
