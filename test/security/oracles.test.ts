/**
 * No oracles: a caller learns nothing from the platform about records it may not read, neither
 * from root lookups made without a purpose nor from how a write about such a household fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { headersFor } from '../helpers/callers.ts';
import { gql, startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import {
  RECORD_DETERMINATION,
  RECORD_FEEDBACK,
  dibaoInput,
  storyOf,
  withConsent,
  type Story,
} from '../helpers/story.ts';

describe('no oracles', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let story: Story;

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(storage);
    story = storyOf(platform, storage.dataDir);
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  describe('root lookups of residents and households need a declared purpose', () => {
    const lookups = [
      ['persons', `query($ids: [ID!]!) { persons(ids: $ids) { id name } }`],
      ['person', `query($ids: ID!) { person(id: $ids) { id name } }`],
      ['households', `query($ids: [ID!]!) { households(ids: $ids) { id address } }`],
      ['household', `query($ids: ID!) { household(id: $ids) { id address } }`],
    ] as const;

    it.each(lookups)(
      '%s without X-Purpose is FORBIDDEN and says whether nothing exists',
      async (field, query) => {
        const headers = await headersFor(story.dataDir, { dept: 'housing' });
        const real = field.startsWith('person') ? story.members[0]! : story.household;
        const ids = field.endsWith('s') ? [real] : real;
        const { body, text } = await gql(story.url, query, { ids }, headers);
        expect(body.data?.[field] ?? null).toBeNull();
        expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
        expect(body.errors[0].path).toEqual([field]);
        expect(body.errors[0].message).toMatch(/Declare a purpose \(X-Purpose\)/);
        expect(text).not.toContain('*');
      },
    );

    it('the same lookup under a purpose the department may use answers (masked)', async () => {
      const headers = await headersFor(story.dataDir, {
        dept: 'housing',
        purpose: 'housing-assistance',
      });
      const { body } = await gql(story.url, lookups[0][1], { ids: story.members }, headers);
      expect(body.errors).toBeUndefined();
      expect(body.data.persons).toHaveLength(story.members.length);
      expect(body.data.persons[0].name).toMatch(/\*/);
    });
  });

  describe('a write about a household the caller may not read', () => {
    it('answers the same whether the determination exists, does not, or is of another household', async () => {
      const caseworker = await withConsent(story, 'civil-affairs', 'dibao');
      const recorded = await gql(
        story.url,
        RECORD_DETERMINATION,
        { input: dibaoInput(story) },
        caseworker,
      );
      const determination = recorded.body.data.recordDetermination.id as string;
      // Housing without a consent for the household: it may not read its assistance data.
      const housing = await headersFor(story.dataDir, {
        dept: 'housing',
        purpose: 'housing-assistance',
      });
      const other = (
        await platform.departments.departments
          .find((d) => d.definition.name === 'household')!
          .database.db.selectFrom('households')
          .select('id')
          .where('id', '!=', story.household)
          .limit(1)
          .executeTakeFirstOrThrow()
      ).id as string;
      const attempt = async (household: string, det: string, key: string) =>
        (
          await gql(
            story.url,
            RECORD_FEEDBACK,
            {
              input: {
                idempotencyKey: `oracle-${key}-${Date.now()}`,
                household,
                determination: det,
                action: 'RENT_SUBSIDY_GRANTED',
                amount: 100,
                effectiveOn: '2026-12-01',
              },
            },
            housing,
          )
        ).body;
      const answers = [
        await attempt(story.household, determination, 'exists'),
        await attempt(story.household, 'det-999999999', 'missing'),
        await attempt(other, determination, 'elsewhere'),
      ];
      for (const body of answers) {
        expect(body.data?.recordFeedback ?? null).toBeNull();
        expect(body.errors).toHaveLength(1);
        expect(body.errors[0].extensions.code).toBe('CONSENT_REQUIRED');
      }
      const messages = new Set(answers.map((b) => b.errors[0].message));
      expect(messages.size).toBe(1);

      // With the household's consent the same write is judged on its merits.
      const consented = await withConsent(story, 'housing', 'housing-assistance');
      const ok = await gql(
        story.url,
        RECORD_FEEDBACK,
        {
          input: {
            idempotencyKey: `oracle-ok-${Date.now()}`,
            household: story.household,
            determination,
            action: 'RENT_SUBSIDY_GRANTED',
            amount: 100,
            effectiveOn: '2026-12-01',
          },
        },
        consented,
      );
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data.recordFeedback.determination).toBe(determination);
    });
  });
});
