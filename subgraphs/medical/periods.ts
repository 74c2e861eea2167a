/**
 * Settlement months. The fund settles a month after it ends, so the latest settled month is the
 * one before AS_OF; the bureau keeps (and the seed writes) the 36 settled months ending there.
 */
import { AS_OF } from '../runtime/seed/population.ts';

export const WINDOW_MONTHS = 36;

/** Months since year 0 for 'YYYY-MM' or 'YYYY-MM-DD', so that month arithmetic is subtraction. */
export function monthIndex(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** 'YYYY-MM' of a month index. */
export function monthOf(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const LAST_SETTLED = monthIndex(AS_OF) - 1;
export const FIRST_SETTLED = LAST_SETTLED - WINDOW_MONTHS + 1;

export interface SettledPeriod {
  months: number;
  fromMonth: string;
  toMonth: string;
}

/** The `months` settled months ending with the latest one (months must be 1..WINDOW_MONTHS). */
export function settledPeriod(months: number): SettledPeriod {
  return { months, fromMonth: monthOf(LAST_SETTLED - months + 1), toMonth: monthOf(LAST_SETTLED) };
}
