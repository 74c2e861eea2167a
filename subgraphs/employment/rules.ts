/**
 * Guangdong's employment and social-insurance parameters, and the calendar arithmetic the records
 * need. Shared by the seeder and the resolvers so that both read "working age" the same way.
 */
import type { RegionClass } from '../runtime/seed/guangdong.ts';
import { AS_OF } from '../runtime/seed/population.ts';

export const WORKING_AGE = { min: 16, max: 59 } as const;

/** Monthly minimum wage tiers (CNY) by region class; unemployment benefit is 90% of it. */
export const MINIMUM_WAGE: Record<RegionClass, number> = { 1: 2300, 2: 1900, 3: 1720, 4: 1620 };
export const BENEFIT_SHARE_OF_MINIMUM_WAGE = 0.9;

/** Province-wide employee contribution base: 60% and 300% of the average wage (7,647 CNY). */
export const CONTRIBUTION_BASE = { floor: 4588, ceiling: 22941 } as const;

/** Residents' pension insurance reached every Guangdong county by 2012. */
export const RESIDENT_SCHEME_START = '2012-01';

/** The month contributions are collected for at AS_OF: active contributors paid for it. */
export const CURRENT_MONTH = '2026-06';

/** Age in whole years on a day, from ISO dates. */
export function ageOn(birthDate: string, day: string): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number];
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

/** Birth date from a resident identity number (digits 7-14), as ISO 'YYYY-MM-DD'. */
export function birthDateOfId(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/**
 * Working age (16-59) on AS_OF: the records are a snapshot of that day, so a member's age is
 * taken on the same day the statuses describe, not on the day of the query.
 */
export function isWorkingAgeId(id: string): boolean {
  const age = ageOn(birthDateOfId(id), AS_OF);
  return age >= WORKING_AGE.min && age <= WORKING_AGE.max;
}

function toIso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return toIso(date);
}

/** Adds months, keeping the day where it exists (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return toIso(first);
}

/** The day someone reaches an age (29 February birthdays fall on 28 February). */
export function birthdayAt(birthDate: string, age: number): string {
  return addMonths(birthDate, age * 12);
}

/** Whole days from one ISO day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** Whole months from one 'YYYY-MM' to another, inclusive of both (0 when `to` is earlier). */
export function monthsInclusive(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return Math.max(0, (ty - fy) * 12 + (tm - fm) + 1);
}

export function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

export function earlierOf(a: string, b: string): string {
  return a < b ? a : b;
}
