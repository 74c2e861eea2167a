import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIdentityNumber } from '../../schema/identity-number.ts';
import type { LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';
import { subgraphGql } from '../helpers/access.ts';
import { launchTestDepartments, testStorage, type TestStorage } from '../helpers/platform.ts';

describe('household subgraph', () => {
  let storage: TestStorage;
  let launched: LaunchedDepartments;
  let url: string;
  let householdIds: string[];

  beforeAll(async () => {
    storage = testStorage();
    launched = await launchTestDepartments(storage, ['household']);
    url = launched.urls.household!;
    const db = launched.departments[0]!.database.db;
    const rows = await db
      .selectFrom('households')
      .select('id')
      .where('member_count', '>=', 3)
      .orderBy('id')
      .limit(5)
      .execute();
    householdIds = rows.map((r: { id: string }) => r.id);
  });
  afterAll(async () => {
    await launched?.close();
    await storage?.cleanup();
  });

  it('reads a household with its members, head first', async () => {
    const { body } = await subgraphGql(
      url,
      'household',
      `query($id: ID!) { household(id: $id) { id region regionName members { id name relationToHead household { id } } } }`,
      { id: householdIds[0] },
    );
    expect(body.errors).toBeUndefined();
    const h = body.data.household;
    expect(h.id).toBe(householdIds[0]);
    expect(h.members.length).toBeGreaterThanOrEqual(3);
    expect(h.members[0].relationToHead).toBe('HEAD');
    for (const m of h.members) {
      expect(isIdentityNumber(m.id)).toBe(true);
      expect(m.household.id).toBe(h.id);
    }
  });

  it('resolves a batch of entity references with one SQL query per entity type', async () => {
    const db = launched.departments[0]!.database;
    const { body: first } = await subgraphGql(
      url,
      'household',
      `query($id: ID!) { household(id: $id) { members { id } } }`,
      { id: householdIds[0] },
    );
    const ids: string[] = first.data.household.members.map((m: { id: string }) => m.id);
    const before = db.statementCount;
    const { body } = await subgraphGql(
      url,
      'household',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name household { id address } } ... on Household { id memberCount } } }`,
      {
        r: [
          ...ids.map((id) => ({ __typename: 'Person', id })),
          ...householdIds.map((id) => ({ __typename: 'Household', id })),
        ],
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toHaveLength(ids.length + householdIds.length);
    // persons (1) + households (1: references and Person.household share the batch)
    expect(db.statementCount - before).toBe(2);
  });

  it('rejects malformed identity numbers with BAD_USER_INPUT, without echoing them', async () => {
    for (const bad of [
      '123',
      '44010619900101123',
      '440106199002301234',
      '44010619900101123X',
      '990106199001011230',
    ]) {
      const { body } = await subgraphGql(
        url,
        'household',
        `query($id: ID!) { person(id: $id) { id } }`,
        { id: bad },
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(body)).not.toContain(bad);
    }
  });

  it('limits persons(ids) to 100 ids', async () => {
    const { body } = await subgraphGql(
      url,
      'household',
      `query($ids: [ID!]!) { persons(ids: $ids) { id } }`,
      { ids: Array(101).fill('440106199001011234') },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.data?.persons ?? null).toBeNull();
  });

  it('returns null for an unknown but valid identity number', async () => {
    const { body } = await subgraphGql(
      url,
      'household',
      `{ person(id: "11010519491231002X") { id } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.person).toBeNull();
  });
});
