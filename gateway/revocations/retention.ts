/**
 * How long a revocation is kept: longer than any consent lives, since a revocation matters only
 * while its consent can still be presented. The gateway refuses a consent that lasts longer than
 * its purpose's `maxConsentDays` (catalogue), so the longest of those bounds every usable consent;
 * 35 days more leave room for clock skew and a consent issued just before a catalogue change.
 */
import { CATALOGUE, longestConsentDays } from '../../schema/catalogue.ts';

const DAY_MS = 24 * 3600 * 1000;
export const REVOCATION_MARGIN_DAYS = 35;

export const REVOCATION_RETENTION_MS =
  (longestConsentDays(CATALOGUE) + REVOCATION_MARGIN_DAYS) * DAY_MS;
