/** Date arithmetic on ISO 'YYYY-MM-DD' strings (UTC, no clock): the form dates are stored in. */
import type { Random } from '../runtime/seed/random.ts';

const DAY_MS = 86_400_000;

function parse(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return format(new Date(parse(date).getTime() + days * DAY_MS));
}

/** Same day of the month `months` later, clamped to the month's last day (31 Jan + 1 = 28 Feb). */
export function addMonths(date: string, months: number): string {
  const d = parse(date);
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0),
  ).getUTCDate();
  first.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return format(first);
}

export function firstOfNextMonth(date: string): string {
  return `${addMonths(date, 1).slice(0, 7)}-01`;
}

/** A uniformly chosen day in [from, to]. */
export function dayBetween(random: Random, from: string, to: string): string {
  const span = Math.round((parse(to).getTime() - parse(from).getTime()) / DAY_MS);
  return addDays(from, random.int(0, Math.max(0, span)));
}

/** The first review date strictly after `day`, counting whole cycles from `start`. */
export function nextReviewAfter(start: string, cycleMonths: number, day: string): string {
  let cycles = 1;
  while (addMonths(start, cycles * cycleMonths) <= day) cycles += 1;
  return addMonths(start, cycles * cycleMonths);
}
