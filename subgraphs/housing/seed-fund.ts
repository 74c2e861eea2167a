/**
 * Housing provident fund accounts of one synthetic person. Only formal employees pay in (ACTIVE);
 * some unemployed people keep a suspended account with their old balance (SUSPENDED); some
 * retirees' accounts were closed and paid out on retirement (CLOSED). Employer and employee each
 * deposit rate × base, the base being the wage clamped to the city's minimum wage and ceiling.
 */
import type { RegionClass } from '../runtime/seed/guangdong.ts';
import { AS_OF, type SynthHousehold, type SynthPerson } from '../runtime/seed/population.ts';
import type { Random } from '../runtime/seed/random.ts';
import { addMonths, between, clamp, monthsAgo, monthsBetween, round2 } from './seed-helpers.ts';
import type { ProvidentFundRow } from './tables.ts';

/** Guangdong's monthly minimum wage by region class (2025 tiers), the lowest deposit base. */
const MINIMUM_WAGE: Record<RegionClass, number> = { 1: 2500, 2: 2080, 3: 1850, 4: 1720 };
/** Most private employers pay the 5% floor; public employers the 12% ceiling. */
const RATE_WEIGHTS = [
  [5, 45],
  [6, 8],
  [7, 8],
  [8, 8],
  [10, 10],
  [12, 21],
] as const;
/** Deposits a decade ago were smaller: wages grew about 5% a year. */
const WAGE_GROWTH = 1.05;
/** Provident funds reached Guangdong's employers in the 1990s. */
const FUND_START = '1993-01-01';

function depositOf(base: number, rate: number): number {
  return 2 * Math.round((base * rate) / 100);
}

/** Average past deposit relative to today's, over `months` of contributions. */
function historyFactor(months: number): number {
  const years = months / 12;
  if (years < 0.5) return 1;
  return (1 - WAGE_GROWTH ** -years) / (years * Math.log(WAGE_GROWTH));
}

function account(
  person: SynthPerson,
  status: ProvidentFundRow['status'],
  base: number,
  rate: number,
  figures: Pick<ProvidentFundRow, 'monthly_deposit' | 'balance' | 'opened_on' | 'last_deposit_on'>,
): ProvidentFundRow {
  return { person_id: person.id, status, contribution_base: base, deposit_rate: rate, ...figures };
}

function activeAccount(h: SynthHousehold, person: SynthPerson, random: Random, ownsHome: boolean) {
  const minimum = MINIMUM_WAGE[h.prefecture.regionClass];
  const ceiling = Math.round((h.prefecture.perCapitaIncome / 12) * 4.5);
  // Employers often declare less than the full wage.
  const base = Math.round(clamp(person.monthlyIncome * between(random, 0.8, 1), minimum, ceiling));
  const rate = random.weighted(RATE_WEIGHTS);
  const deposit = depositOf(base, rate);
  const months = random.int(3, clamp((person.age - 21) * 12, 3, 360));
  // Owners drew on the fund for the purchase or the mortgage; renters now and then for rent.
  const kept = ownsHome ? between(random, 0.15, 0.6) : between(random, 0.7, 1);
  return account(person, 'active', base, rate, {
    monthly_deposit: deposit,
    balance: round2(deposit * months * historyFactor(months) * kept),
    opened_on: monthsAgo(random, months),
    last_deposit_on: monthsAgo(random, 1),
  });
}

function suspendedAccount(h: SynthHousehold, person: SynthPerson, random: Random) {
  const base = Math.round(MINIMUM_WAGE[h.prefecture.regionClass] * between(random, 1, 1.8));
  const rate = random.weighted(RATE_WEIGHTS);
  const stoppedMonthsAgo = random.int(1, 36);
  const months = random.int(6, clamp((person.age - 21) * 12 - stoppedMonthsAgo, 6, 180));
  return account(person, 'suspended', base, rate, {
    monthly_deposit: 0,
    balance: round2(
      depositOf(base, rate) * months * historyFactor(months) * between(random, 0.6, 1),
    ),
    opened_on: monthsAgo(random, stoppedMonthsAgo + months),
    last_deposit_on: monthsAgo(random, stoppedMonthsAgo),
  });
}

function closedAccount(h: SynthHousehold, person: SynthPerson, random: Random) {
  const retirementAge = person.gender === 'male' ? 60 : random.chance(0.5) ? 50 : 55;
  const closedOn = addMonths(person.birthDate, retirementAge * 12 + random.int(0, 2));
  const available = monthsBetween(FUND_START, closedOn);
  if (closedOn > AS_OF || available < 24) return null;
  const months = random.int(24, Math.min(300, available));
  const base = Math.round(MINIMUM_WAGE[h.prefecture.regionClass] * between(random, 0.5, 1.2));
  // The balance was paid out when the account closed.
  return account(person, 'closed', base, random.weighted(RATE_WEIGHTS), {
    monthly_deposit: 0,
    balance: 0,
    opened_on: addMonths(closedOn, -months),
    last_deposit_on: closedOn,
  });
}

export function seedFundAccount(
  h: SynthHousehold,
  person: SynthPerson,
  random: Random,
  ownsHome: boolean,
): ProvidentFundRow | null {
  if (person.status === 'deceased') return null;
  const prd = h.prefecture.area === 'prd';
  // Jobs held while a household is on assistance are rarely ones with a provident fund.
  const needFactor = h.need === null ? 1 : 0.45;
  if (person.work === 'employed') {
    return random.chance((prd ? 0.85 : 0.65) * needFactor)
      ? activeAccount(h, person, random, ownsHome)
      : null;
  }
  if (person.work === 'unemployed') {
    return random.chance(0.35 * needFactor) ? suspendedAccount(h, person, random) : null;
  }
  if (person.work === 'retired') {
    const chance = (prd ? 0.45 : 0.3) * (h.hukouType === 'urban' ? 1 : 0.5);
    return random.chance(chance) ? closedAccount(h, person, random) : null;
  }
  return null;
}
