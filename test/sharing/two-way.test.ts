/**
 * Two-way result sharing end to end: civil affairs records a determination under consent, other
 * departments read it under their own purposes and consents and record what they did, the change
 * feed delivers each change once, across restarts, and retries never duplicate a write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { headersFor } from '../helpers/callers.ts';
import { postgresUrl } from '../helpers/services.ts';
import { startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';
import {
  CHANGES,
  HOUSEHOLD_ASSISTANCE,
  RECORD_DETERMINATION,
  RECORD_FEEDBACK,
  dibaoInput,
  send,
  storyOf,
  withConsent,
  type Story,
} from '../helpers/story.ts';

/** Reads the whole feed from `after` with the given caller; returns the changes and the cursor. */
async function readFeed(story: Story, headers: Record<string, string>, after: string | null) {
  const changes: any[] = [];
  let cursor = after;
  for (let page = 0; page < 100; page++) {
    const { body } = await send(story, CHANGES, { after: cursor, first: 50 }, headers);
    expect(body.errors).toBeUndefined();
    changes.push(...body.data.assistanceChanges.changes);
    cursor = body.data.assistanceChanges.endCursor;
    if (!body.data.assistanceChanges.hasMore) break;
  }
  return { changes, cursor };
}

function suite(driver: string, databaseUrl: string | undefined) {
  describe(`two-way sharing on ${driver}`, () => {
    let storage: TestStorage;
    let platform: RunningPlatform;
    let story: Story;

    beforeAll(async () => {
      storage = testStorage(databaseUrl);
      platform = await startTestPlatform(storage);
      story = storyOf(platform, storage.dataDir);
    });
    afterAll(async () => {
      await platform?.close();
      await storage?.cleanup();
    });

    it('civil affairs records a dibao determination; housing and education read it under their consents', async () => {
      const caseworker = await withConsent(story, 'civil-affairs', 'dibao');
      const { body } = await send(
        story,
        RECORD_DETERMINATION,
        { input: dibaoInput(story) },
        caseworker,
      );
      expect(body.errors).toBeUndefined();
      const recorded = body.data.recordDetermination;
      expect(recorded).toMatchObject({
        program: 'DIBAO',
        decision: 'APPROVED',
        monthlyAmount: 1260,
        nextReviewOn: '2027-12-01',
      });
      expect(recorded.coveredMembers).toBe(story.members.length);

      for (const [dept, purpose] of [
        ['housing', 'housing-assistance'],
        ['education', 'education-assistance'],
      ] as const) {
        const read = await send(
          story,
          HOUSEHOLD_ASSISTANCE,
          { id: story.household },
          await withConsent(story, dept, purpose),
        );
        expect(read.body.errors).toBeUndefined();
        expect(read.body.data.household.determinations.map((d: any) => d.id)).toContain(
          recorded.id,
        );
      }
      const noConsent = await send(
        story,
        HOUSEHOLD_ASSISTANCE,
        { id: story.household },
        await headersFor(story.dataDir, { dept: 'housing', purpose: 'housing-assistance' }),
      );
      expect(noConsent.body.data.household.determinations).toBeNull();
      expect(noConsent.body.errors[0].extensions.code).toBe('CONSENT_REQUIRED');
      expect(noConsent.text).not.toContain(recorded.id);
    });

    it('housing records a rent subsidy in return, and civil affairs sees it', async () => {
      const caseworker = await withConsent(story, 'civil-affairs', 'dibao');
      const det = (
        await send(story, RECORD_DETERMINATION, { input: dibaoInput(story) }, caseworker)
      ).body.data.recordDetermination;
      const housing = await withConsent(story, 'housing', 'housing-assistance');
      const input = {
        idempotencyKey: `fb-${det.id}-rent`,
        household: story.household,
        determination: det.id,
        action: 'RENT_SUBSIDY_GRANTED',
        amount: 600,
        effectiveOn: '2026-12-01',
      };
      const { body } = await send(story, RECORD_FEEDBACK, { input }, housing);
      expect(body.errors).toBeUndefined();
      expect(body.data.recordFeedback).toMatchObject({
        department: 'housing',
        action: 'RENT_SUBSIDY_GRANTED',
        amount: 600,
        determination: det.id,
      });
      const read = await send(story, HOUSEHOLD_ASSISTANCE, { id: story.household }, caseworker);
      expect(read.body.data.household.assistanceFeedback.map((f: any) => f.id)).toContain(
        body.data.recordFeedback.id,
      );
    });

    it('refuses writes that the catalogue, the purpose or the consent do not allow', async () => {
      const input = dibaoInput(story);
      const cases: [Record<string, string>, string][] = [
        [await withConsent(story, 'housing', 'housing-assistance'), 'FORBIDDEN'],
        [
          await headersFor(story.dataDir, {
            dept: 'civil-affairs',
            purpose: 'dibao',
            roles: ['caseworker'],
          }),
          'FORBIDDEN',
        ],
        [await withConsent(story, 'civil-affairs', 'tekun'), 'PURPOSE_NOT_ALLOWED'],
        [
          await headersFor(story.dataDir, { dept: 'civil-affairs', purpose: 'dibao' }),
          'CONSENT_REQUIRED',
        ],
      ];
      for (const [headers, code] of cases) {
        const { body } = await send(story, RECORD_DETERMINATION, { input }, headers);
        expect(body.data?.recordDetermination ?? null).toBeNull();
        expect(body.errors[0].extensions.code).toBe(code);
      }
      const noOperator = await send(
        story,
        RECORD_DETERMINATION,
        { input },
        await withConsent(story, 'civil-affairs', 'dibao', { operator: null }),
      );
      expect(noOperator.body.errors[0].extensions.code).toBe('OPERATOR_REQUIRED');
      // Nothing was written by any of them.
      const read = await send(
        story,
        HOUSEHOLD_ASSISTANCE,
        { id: story.household },
        await withConsent(story, 'civil-affairs', 'dibao'),
      );
      expect(read.text).not.toContain(input.caseId + 'x');
    });

    it('refuses malformed input with BAD_USER_INPUT, naming the field', async () => {
      const caseworker = await withConsent(story, 'civil-affairs', 'dibao');
      const bad: [Record<string, unknown>, string][] = [
        [{ effectiveFrom: '2026-02-30' }, 'effectiveFrom'],
        [{ effectiveTo: '2026-01-01' }, 'effectiveTo'],
        [{ monthlyAmount: null }, 'monthlyAmount'],
        [{ monthlyAmount: -5 }, 'monthlyAmount'],
        [{ idempotencyKey: 'short' }, 'idempotencyKey'],
        [{ coveredMembers: ['440106199001011234'] }, 'coveredMembers'],
        [{ household: '12345' }, 'household'],
        [{ reviewCycleMonths: 0 }, 'reviewCycleMonths'],
      ];
      for (const [overrides, argument] of bad) {
        const { body } = await send(
          story,
          RECORD_DETERMINATION,
          { input: dibaoInput(story, overrides) },
          caseworker,
        );
        expect(body.errors[0].extensions.code, argument).toBe('BAD_USER_INPUT');
        expect(body.errors[0].extensions.argument, argument).toBe(argument);
      }
    });

    it('a retry returns the first result and creates nothing, even as concurrent duplicates', async () => {
      const caseworker = await withConsent(story, 'civil-affairs', 'dibao');
      const input = dibaoInput(story);
      const results = await Promise.all(
        Array.from({ length: 8 }, () => send(story, RECORD_DETERMINATION, { input }, caseworker)),
      );
      const ids = new Set(
        results.map(
          (r) => (expect(r.body.errors).toBeUndefined(), r.body.data.recordDetermination.id),
        ),
      );
      expect(ids.size).toBe(1);
      const retry = await send(story, RECORD_DETERMINATION, { input }, caseworker);
      expect(retry.body.data.recordDetermination.id).toBe([...ids][0]);
      const read = await send(story, HOUSEHOLD_ASSISTANCE, { id: story.household }, caseworker);
      expect(
        read.body.data.household.determinations.filter((d: any) => d.id === [...ids][0]),
      ).toHaveLength(1);
      const reused = await send(
        story,
        RECORD_DETERMINATION,
        { input: { ...input, monthlyAmount: 999 } },
        caseworker,
      );
      expect(reused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('different writes at once all land, each once, in one gap-free feed order', async () => {
      const caseworker = await withConsent(story, 'civil-affairs', 'dibao');
      const { cursor: start } = await readFeed(story, caseworker, null);
      const results = await Promise.all(
        // More writers than the number's retries: they must take turns, not collide.
        Array.from({ length: 24 }, () =>
          send(story, RECORD_DETERMINATION, { input: dibaoInput(story) }, caseworker),
        ),
      );
      for (const r of results) expect(r.body.errors).toBeUndefined();
      const written = results.map((r) => r.body.data.recordDetermination.id);
      const { changes } = await readFeed(story, caseworker, start);
      expect(changes.map((c: any) => c.determination.id).sort()).toEqual([...written].sort());
    });
  });
}

suite('embedded SQLite', undefined);
if (postgresUrl) suite('PostgreSQL', postgresUrl);

describe('change feed across a restart', () => {
  it('resumes from the cursor: nothing missed, nothing seen twice, only what the caller may see', async () => {
    const storage = testStorage();
    try {
      let platform = await startTestPlatform(storage);
      let story = storyOf(platform, storage.dataDir);
      const caseworker = await withConsent(story, 'civil-affairs', 'dibao');
      const first = await readFeed(story, caseworker, null);
      // The seeded history of other households is not listed to a caller without their consent.
      expect(first.changes.every((c: any) => c.household.id === story.household)).toBe(true);
      const before = await send(
        story,
        RECORD_DETERMINATION,
        { input: dibaoInput(story) },
        caseworker,
      );
      const seen = await readFeed(story, caseworker, first.cursor);
      expect(seen.changes.map((c: any) => c.determination.id)).toEqual([
        before.body.data.recordDetermination.id,
      ]);

      await platform.close();
      platform = await startTestPlatform(storage);
      story = storyOf(platform, storage.dataDir);
      const again = await withConsent(story, 'civil-affairs', 'dibao');
      const after = await send(story, RECORD_DETERMINATION, { input: dibaoInput(story) }, again);
      const resumed = await readFeed(story, again, seen.cursor);
      expect(resumed.changes.map((c: any) => c.determination.id)).toEqual([
        after.body.data.recordDetermination.id,
      ]);
      // Without a purpose that reaches assistance data the feed refuses instead of skipping ahead.
      for (const spec of [
        { dept: 'civil-affairs' },
        { dept: 'analytics', purpose: 'statistics', operator: null },
      ]) {
        const refused = await send(
          story,
          CHANGES,
          { after: resumed.cursor },
          await headersFor(story.dataDir, spec),
        );
        expect(refused.body.data.assistanceChanges).toBeNull();
        expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
      }
      const bad = await send(story, CHANGES, { after: 'not-a-cursor' }, again);
      expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      await platform.close();
    } finally {
      await storage.cleanup();
    }
  });
});
