/** The two-way sharing story's requests, shared by the tests and kept close to what an app sends. */
import { randomUUID } from 'node:crypto';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { consentFor, headersFor } from './callers.ts';
import { gql } from './platform.ts';

export const RECORD_DETERMINATION = `mutation Record($input: RecordDeterminationInput!) {
  recordDetermination(input: $input) { id caseId program decision monthlyAmount coveredMembers nextReviewOn }
}`;

export const RECORD_FEEDBACK = `mutation Feedback($input: RecordFeedbackInput!) {
  recordFeedback(input: $input) { id department action amount determination }
}`;

export const HOUSEHOLD_ASSISTANCE = `query($id: ID!) {
  household(id: $id) {
    determinations { id program decision monthlyAmount }
    assistanceFeedback { id department action amount }
  }
}`;

export const CHANGES = `query($after: String, $first: Int) {
  assistanceChanges(after: $after, first: $first) {
    changes { cursor kind household { id } determination { id program } feedback { id action } }
    endCursor
    hasMore
  }
}`;

export interface Story {
  url: string;
  dataDir: string;
  household: string;
  members: string[];
}

export function storyOf(platform: RunningPlatform, dataDir: string): Story {
  return {
    url: platform.gateway.url,
    dataDir,
    household: platform.sample!.household,
    members: platform.sample!.members,
  };
}

/** A caller of `dept` with a consent for the story's household under `purpose`. */
export async function withConsent(
  story: Story,
  dept: string,
  purpose: string,
  extra: { operator?: string | null } = {},
) {
  const consent = await consentFor(story.dataDir, {
    household: story.household,
    subjects: story.members,
    grantees: [dept],
    purpose,
  });
  return headersFor(story.dataDir, { dept, purpose, consents: [consent], ...extra });
}

export function dibaoInput(story: Story, overrides: Record<string, unknown> = {}) {
  return {
    idempotencyKey: `test-${randomUUID()}`,
    household: story.household,
    caseId: `MZ-${story.household.slice(0, 6)}-2026-900001`,
    program: 'DIBAO',
    decision: 'APPROVED',
    decidedOn: '2026-11-20',
    effectiveFrom: '2026-12-01',
    monthlyAmount: 1260,
    reviewCycleMonths: 12,
    coveredMembers: story.members,
    ...overrides,
  };
}

export const send = (
  story: Story,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) => gql(story.url, query, variables, headers);
