/** Dates (ISO, relative to AS_OF) and number helpers shared by the housing generators. */
import { AS_OF } from '../runtime/seed/population.ts';
import type { Random } from '../runtime/seed/random.ts';

const DAY_MS = 86_400_000;

function epochDay(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A day in [fromYear-01-01, toYear-12-31], never after AS_OF. */
export function dateInYears(random: Random, fromYear: number, toYear: number): string {
  const first = epochDay(`${fromYear}-01-01`);
  const last = Math.min(epochDay(`${toYear}-12-31`), epochDay(AS_OF));
  return isoOf(first + Math.floor(random.next() * (Math.max(first, last) - first + 1)));
}

/** Moves a date by whole months (negative goes back); days above 28 fall back to 28. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, 28)).padStart(2, '0')}`;
}

/** A day in the month `months` months before AS_OF (day 1-28), never after AS_OF. */
export function monthsAgo(random: Random, months: number): string {
  const day = `${addMonths(AS_OF, -months).slice(0, 8)}${String(random.int(1, 28)).padStart(2, '0')}`;
  return day > AS_OF ? AS_OF : day;
}

/** Whole months from one date to a later one. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

export function yearOf(iso: string): number {
  return Number(iso.slice(0, 4));
}

export function between(random: Random, min: number, max: number): number {
  return min + random.next() * (max - min);
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Money and areas are kept to two decimals, as registries and fund statements print them. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
