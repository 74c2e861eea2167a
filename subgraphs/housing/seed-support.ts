/**
 * Housing support of one synthetic household. Urban dibao, tekun and low-income households without
 * a home of their own often live in public rental housing or receive a rent subsidy; rural ones
 * with a homestead sometimes had it renovated as a dilapidated house; a few low-income households
 * have applied; other households almost never have support.
 */
import type { RegionClass } from '../runtime/seed/guangdong.ts';
import { AS_OF, type SynthHousehold } from '../runtime/seed/population.ts';
import type { Random } from '../runtime/seed/random.ts';
import { addMonths, between, dateInYears, monthsAgo, monthsBetween } from './seed-helpers.ts';
import type { HousingSupportKind, HousingSupportRow } from './tables.ts';

export interface HomeOwnership {
  /** A member owns a flat (a homestead does not count for urban rental support). */
  residence: boolean;
  homestead: boolean;
}

type Support = Omit<HousingSupportRow, 'id' | 'household_id'>;

/** Rent subsidy per month by region class, CNY: larger households get the upper end. */
const RENT_SUBSIDY: Record<RegionClass, readonly [number, number]> = {
  1: [600, 1000],
  2: [450, 850],
  3: [300, 650],
  4: [200, 480],
};
const PUBLIC_RENTAL_LEASE_MONTHS = 36;
const RENT_SUBSIDY_REVIEW_MONTHS = 12;

function rentSubsidy(h: SynthHousehold, random: Random): number {
  const [low, high] = RENT_SUBSIDY[h.prefecture.regionClass];
  const share = Math.min(1, (h.members.length - 1) / 5 + between(random, 0, 0.3));
  return Math.round((low + (high - low) * share) / 10) * 10;
}

/** The end of the current term: terms renew from `since` until one runs past AS_OF. */
function currentTermEnd(since: string, termMonths: number): string {
  const terms = Math.floor(monthsBetween(since, AS_OF) / termMonths) + 1;
  return addMonths(since, terms * termMonths);
}

function applied(random: Random, kind: HousingSupportKind): Support {
  const since = monthsAgo(random, random.int(1, 6));
  return { kind, status: 'applied', monthly_amount: null, grant_amount: null, since, until: null };
}

function rentalSupport(h: SynthHousehold, random: Random, kind: HousingSupportKind): Support[] {
  if (kind === 'rent_subsidy') {
    const since = monthsAgo(random, random.int(2, 72));
    const until = currentTermEnd(since, RENT_SUBSIDY_REVIEW_MONTHS);
    const amount = rentSubsidy(h, random);
    return [{ kind, status: 'active', monthly_amount: amount, grant_amount: null, since, until }];
  }
  const since = monthsAgo(random, random.int(3, 96));
  const housing: Support = {
    kind,
    status: 'active',
    monthly_amount: null,
    grant_amount: null,
    since,
    until: currentTermEnd(since, PUBLIC_RENTAL_LEASE_MONTHS),
  };
  if (!random.chance(0.25)) return [housing];
  // Many waited for a flat on a rent subsidy, which ended when they moved in.
  const earlier: Support = {
    kind: 'rent_subsidy',
    status: 'ended',
    monthly_amount: rentSubsidy(h, random),
    grant_amount: null,
    since: addMonths(since, -random.int(12, 48)),
    until: since,
  };
  return [earlier, housing];
}

function renovation(random: Random): Support {
  const since = dateInYears(random, 2017, 2026);
  const grant = Math.round(between(random, 20_000, 40_000) / 500) * 500;
  // Works take a few months; older grants are finished.
  const done = monthsBetween(since, AS_OF) >= 10;
  return {
    kind: 'dilapidated_house_renovation',
    status: done ? 'ended' : 'active',
    monthly_amount: null,
    grant_amount: grant,
    since,
    until: done ? addMonths(since, random.int(4, 10)) : null,
  };
}

function urbanSupport(h: SynthHousehold, random: Random): Support[] {
  const rental = (): HousingSupportKind =>
    random.chance(0.55) ? 'public_rental_housing' : 'rent_subsidy';
  const roll = random.next();
  if (h.need === 'dibao' || h.need === 'tekun') {
    if (roll < 0.75) return rentalSupport(h, random, rental());
    return roll < 0.83 ? [applied(random, rental())] : [];
  }
  if (h.need === 'low-income') {
    if (roll < 0.45) return rentalSupport(h, random, rental());
    return roll < 0.57 ? [applied(random, rental())] : [];
  }
  const incomeRatio = h.perCapitaIncome / (h.prefecture.perCapitaIncome / 12);
  return incomeRatio < 0.9 && roll < 0.03 ? rentalSupport(h, random, rental()) : [];
}

function ruralSupport(h: SynthHousehold, random: Random): Support[] {
  const roll = random.next();
  if (h.need === 'dibao' || h.need === 'tekun') return roll < 0.35 ? [renovation(random)] : [];
  if (h.need === 'low-income') {
    if (roll < 0.05) return [renovation(random)];
    return roll < 0.15 ? [applied(random, 'dilapidated_house_renovation')] : [];
  }
  return [];
}

export function seedSupport(
  h: SynthHousehold,
  random: Random,
  owns: HomeOwnership,
): HousingSupportRow[] {
  let supports: Support[] = [];
  if (h.hukouType === 'urban' && !owns.residence) supports = urbanSupport(h, random);
  else if (h.hukouType === 'rural' && owns.homestead) supports = ruralSupport(h, random);
  return supports.map((s, i) => ({ id: `${h.id}-${i + 1}`, household_id: h.id, ...s }));
}
