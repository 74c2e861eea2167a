/**
 * Real estate of one synthetic household. Ownership follows the latent facts: couples aged 25+
 * own; the odds rise with age and with income relative to the prefecture; rural households hold a
 * homestead; dibao and tekun households hold at most one modest home; well-off PRD households add
 * second and third flats, parking and shops.
 */
import type { SynthHousehold, SynthPerson } from '../runtime/seed/population.ts';
import type { Random } from '../runtime/seed/random.ts';
import { between, clamp, dateInYears, round2, yearOf } from './seed-helpers.ts';
import type { PropertyRow, PropertyUsage } from './tables.ts';

export interface SeededProperty {
  property: PropertyRow;
  owners: string[];
}

interface Plan {
  usage: PropertyUsage;
  region: string;
  area: number;
  registeredOn: string;
  owners: string[];
}

const OWNER_MIN_AGE = 25;
/** Unified real-estate certificates (不动产权证书) replaced the old ones from 2016. */
const FIRST_CERTIFICATE_YEAR = 2016;
const LAST_YEAR = 2026;
/** Each household owns this many certificate serials; properties beyond them are not made. */
const SLOTS_PER_HOUSEHOLD = 6;

/**
 * A bijection of (household index, slot), so numbers are unique without shared state: seven
 * digits for the first 10,000,000 slots, eight beyond (as Guangzhou's own registry prints them).
 */
function serialOf(n: number): string {
  if (n < 10_000_000) return String((n * 3_456_789 + 1_234_567) % 10_000_000).padStart(7, '0');
  return String((n * 34_567_891 + 12_345_678) % 100_000_000).padStart(8, '0');
}

function certificateNumber(city: string, registeredOn: string, household: number, slot: number) {
  const serial = serialOf(household * SLOTS_PER_HOUSEHOLD + slot);
  return `粤(${yearOf(registeredOn)})${city}不动产权第${serial}号`;
}

function birthYear(person: SynthPerson): number {
  return yearOf(person.birthDate);
}

/** Mostly the household's own county; otherwise elsewhere in the same prefecture. */
function regionFor(h: SynthHousehold, random: Random, sameCounty: number): string {
  return random.chance(sameCounty) ? h.county.code : random.pick(h.prefecture.counties).code;
}

/** Head alone, spouse alone, or both on one certificate. */
function coupleOwners(
  random: Random,
  head: SynthPerson,
  spouse: SynthPerson | undefined,
  joint: number,
) {
  if (!spouse) return [head.id];
  const roll = random.next();
  if (roll < joint) return [head.id, spouse.id];
  return roll < joint + (1 - joint) * 0.7 ? [head.id] : [spouse.id];
}

function flatArea(random: Random, need: SynthHousehold['need'], incomeRatio: number): number {
  if (need === 'dibao' || need === 'tekun') return round2(between(random, 50, 72));
  if (need === 'low-income') return round2(between(random, 50, 85));
  return round2(clamp(random.normal(70 + 12 * Math.min(incomeRatio, 3), 16), 50, 140));
}

function primaryFlatChance(h: SynthHousehold, head: SynthPerson, incomeRatio: number): number {
  const rural = h.hukouType === 'rural';
  if (h.need === 'dibao' || h.need === 'tekun') return rural ? 0.03 : 0.3;
  if (h.need === 'low-income') return rural ? 0.06 : 0.4;
  const byAge = head.age < 30 ? 0.3 : head.age < 40 ? 0.55 : 0.68;
  const byIncome = clamp(0.55 + 0.4 * incomeRatio, 0.5, 1.35);
  return Math.min(0.93, byAge * byIncome * (rural ? 0.35 : 1));
}

function coupleProperties(h: SynthHousehold, random: Random, incomeRatio: number): Plan[] {
  const head = h.members[0]!;
  const spouse = h.members.find((m) => m.relation === 'spouse' && m.age >= OWNER_MIN_AGE);
  const needy = h.need === 'dibao' || h.need === 'tekun';
  const firstYear = Math.min(
    LAST_YEAR,
    Math.max(FIRST_CERTIFICATE_YEAR, birthYear(head) + OWNER_MIN_AGE),
  );
  const plans: Plan[] = [];
  if (h.hukouType === 'rural' && random.chance(needy ? 0.8 : 0.88)) {
    plans.push({
      usage: 'rural_homestead',
      region: h.county.code,
      area: round2(needy ? between(random, 80, 120) : between(random, 90, 200)),
      // Homesteads were certified in the 房地一体 campaign, whatever the owner's age then.
      registeredOn: dateInYears(random, 2017, 2025),
      owners: coupleOwners(random, head, spouse, 0.3),
    });
  }
  if (!random.chance(primaryFlatChance(h, head, incomeRatio))) return plans;
  const home: Plan = {
    usage: 'residential',
    region: regionFor(h, random, 0.9),
    area: flatArea(random, h.need, incomeRatio),
    registeredOn: dateInYears(random, firstYear, LAST_YEAR),
    owners: coupleOwners(random, head, spouse, 0.65),
  };
  plans.push(home);
  if (h.need !== null) return plans;
  const prd = h.prefecture.area === 'prd';
  const later = () => dateInYears(random, yearOf(home.registeredOn), LAST_YEAR);
  const secondChance = clamp(0.05 + 0.12 * (incomeRatio - 1), 0, 0.35) * (prd ? 1.4 : 0.8);
  if (random.chance(secondChance)) {
    const flats = prd && incomeRatio > 1.8 && random.chance(0.3) ? 2 : 1;
    for (let i = 0; i < flats; i++) {
      plans.push({
        usage: 'residential',
        region: regionFor(h, random, 0.6),
        area: round2(clamp(random.normal(85 + 10 * Math.min(incomeRatio, 3), 20), 50, 140)),
        registeredOn: later(),
        owners: coupleOwners(random, head, spouse, 0.5),
      });
    }
  }
  const parkingChance = clamp(0.08 + 0.15 * (incomeRatio - 0.8), 0, 0.5) * (prd ? 1.3 : 0.7);
  if (random.chance(parkingChance)) {
    plans.push({
      usage: 'parking',
      region: home.region,
      area: round2(between(random, 12, 38)),
      registeredOn: later(),
      owners: coupleOwners(random, head, spouse, 0.4),
    });
  }
  if (random.chance(clamp(0.02 + 0.06 * (incomeRatio - 1.2), 0, 0.2))) {
    plans.push({
      usage: 'commercial',
      region: regionFor(h, random, 0.8),
      area: round2(clamp(random.logNormal(60, 0.7), 20, 300)),
      registeredOn: dateInYears(random, firstYear, LAST_YEAR),
      owners: coupleOwners(random, head, spouse, 0.4),
    });
  }
  return plans;
}

/** Grown children and siblings with a good formal job sometimes own a flat of their own. */
function ownFlats(h: SynthHousehold, random: Random, incomeRatio: number): Plan[] {
  if (h.need !== null) return [];
  const prefectureMonthly = h.prefecture.perCapitaIncome / 12;
  return h.members
    .filter((m) => m.relation === 'child' || m.relation === 'sibling')
    .filter(
      (m) => m.age >= 28 && m.work === 'employed' && m.monthlyIncome >= prefectureMonthly * 0.8,
    )
    .filter(() => random.chance(0.25))
    .map((m) => ({
      usage: 'residential' as const,
      region: regionFor(h, random, 0.7),
      area: flatArea(random, h.need, incomeRatio),
      registeredOn: dateInYears(
        random,
        Math.max(FIRST_CERTIFICATE_YEAR, birthYear(m) + OWNER_MIN_AGE),
        LAST_YEAR,
      ),
      owners: [m.id],
    }));
}

export function seedProperties(h: SynthHousehold, random: Random): SeededProperty[] {
  const incomeRatio = h.perCapitaIncome / (h.prefecture.perCapitaIncome / 12);
  const head = h.members[0]!;
  const plans = [
    ...(head.age >= OWNER_MIN_AGE ? coupleProperties(h, random, incomeRatio) : []),
    ...ownFlats(h, random, incomeRatio),
  ];
  return plans.slice(0, SLOTS_PER_HOUSEHOLD).map((plan, slot) => ({
    property: {
      certificate_number: certificateNumber(h.prefecture.name, plan.registeredOn, h.index, slot),
      region: plan.region,
      usage: plan.usage,
      area: plan.area,
      registered_on: plan.registeredOn,
      owner_count: plan.owners.length,
    },
    owners: plan.owners,
  }));
}
