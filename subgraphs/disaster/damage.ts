/**
 * What the catalogue's events did to one household, and the relief that followed. Most
 * households come through untouched; rural hukou and low income (weaker houses, crops as the
 * livelihood) raise both the odds of damage and its severity. Derived only from the household's
 * latent facts and its own stream, so any chunk can be regenerated alone.
 */
import type { SynthHousehold } from '../runtime/seed/population.ts';
import { AS_OF } from '../runtime/seed/population.ts';
import { Random } from '../runtime/seed/random.ts';
import { addDays, isoDay, maxDay, minDay } from './dates.ts';
import type { CatalogueEvent } from './events.ts';
import type {
  DamageRecordRow,
  DamageSeverity,
  DisasterKind,
  ReliefKind,
  ReliefPaymentRow,
  ResponseLevel,
} from './tables.ts';

export interface HouseholdDisasterRecords {
  damage: DamageRecordRow[];
  relief: ReliefPaymentRow[];
}

const BASE_CHANCE: Record<DisasterKind, number> = {
  TYPHOON: 0.01,
  FLOOD: 0.012,
  RAINSTORM: 0.005,
  // Only the struck county's households are exposed, but they are exposed badly.
  LANDSLIDE: 0.03,
  DROUGHT: 0.006,
  COLD_WAVE: 0.004,
};
const LEVEL_CHANCE: Record<ResponseLevel, number> = { I: 4, II: 2.2, III: 1.2, IV: 0.6 };
const LEVEL_SEVERITY: Record<ResponseLevel, number> = { I: 2.5, II: 1.6, III: 1, IV: 0.7 };
const LOSS: Record<DamageSeverity, readonly [number, number]> = {
  MINOR: [500, 5000],
  MODERATE: [5000, 30000],
  SEVERE: [30000, 120000],
  DESTROYED: [80000, 300000],
};

/** How much weaker than average the household's house is, from income against the dibao line. */
function frailty(h: SynthHousehold): number {
  const ratio = h.perCapitaIncome / h.dibaoStandard;
  return ratio < 1 ? 2 : ratio < 2 ? 1.5 : ratio < 4 ? 1 : 0.7;
}

/** Households the relief programme treats as in difficulty (winter-spring relief). */
function inDifficulty(h: SynthHousehold): boolean {
  return h.need !== null || h.perCapitaIncome < 2 * h.dibaoStandard;
}

function damageChance(event: CatalogueEvent, h: SynthHousehold): number {
  if (event.county !== null && event.county !== h.county.code) return 0;
  // A drought's losses are crops: town households do not report them.
  if (event.kind === 'DROUGHT' && h.hukouType === 'urban') return 0;
  const hukou = h.hukouType === 'rural' ? 1.8 : 0.6;
  return BASE_CHANCE[event.kind] * LEVEL_CHANCE[event.response_level] * hukou * frailty(h);
}

function severityOf(random: Random, event: CatalogueEvent, h: SynthHousehold): DamageSeverity {
  if (event.kind === 'DROUGHT' || event.kind === 'COLD_WAVE') {
    return random.weighted([
      ['MINOR', 80],
      ['MODERATE', 20],
    ] as const);
  }
  const heavier =
    LEVEL_SEVERITY[event.response_level] *
    (frailty(h) > 1 ? 1.3 : 1) *
    (event.kind === 'LANDSLIDE' ? 3 : 1);
  return random.weighted([
    ['MINOR', 72],
    ['MODERATE', 19 * heavier],
    ['SEVERE', 7 * heavier],
    ['DESTROYED', 2 * heavier],
  ] as const);
}

function damageRecord(random: Random, event: CatalogueEvent, h: SynthHousehold): DamageRecordRow {
  const severity = severityOf(random, event, h);
  const [low, high] = LOSS[severity];
  // Assessed after the response ends; for one still in force, during it.
  const assessedOn = minDay(addDays(event.ended_on ?? event.started_on, random.int(1, 10)), AS_OF);
  return {
    id: `${event.id}/${h.id}`,
    household_id: h.id,
    event_id: event.id,
    severity,
    estimated_loss: Math.round(random.int(low, high) / 10) * 10,
    house_damaged: severity !== 'MINOR' && event.kind !== 'DROUGHT' ? 1 : 0,
    assessed_on: assessedOn,
  };
}

function payment(
  h: SynthHousehold,
  id: string,
  eventId: string | null,
  kind: ReliefKind,
  amount: number,
  paidOn: string,
): ReliefPaymentRow[] {
  // Payments falling after the data's day have not been made yet.
  if (paidOn > AS_OF) return [];
  return [{ id, household_id: h.id, event_id: eventId, kind, amount, paid_on: paidOn }];
}

function eventRelief(random: Random, h: SynthHousehold, damage: DamageRecordRow, people: number) {
  const key = `${damage.event_id}/${h.id}`;
  const pay = (kind: ReliefKind, amount: number, afterDays: number) =>
    payment(
      h,
      `${key}/${kind}`,
      damage.event_id,
      kind,
      amount,
      addDays(damage.assessed_on, afterDays),
    );
  const out: ReliefPaymentRow[] = [];
  const { severity } = damage;
  if (severity !== 'MINOR' && random.chance(0.85)) {
    out.push(...pay('EMERGENCY_LIVING', people * random.int(5, 15) * 100, random.int(2, 15)));
  }
  if (severity === 'SEVERE' || severity === 'DESTROYED') {
    // Three months of living costs while the family stays elsewhere.
    out.push(
      ...pay('TRANSITIONAL_LIVING', people * 3 * random.int(45, 90) * 10, random.int(10, 40)),
    );
  }
  if (severity === 'DESTROYED') {
    out.push(...pay('HOUSE_REBUILDING', random.int(20, 60) * 1000, random.int(60, 200)));
  }
  return out;
}

/** The winter (December to February) whose relief covers a disaster: the coming one. */
function winterOf(day: string): number {
  const year = Number(day.slice(0, 4));
  return Number(day.slice(5, 7)) >= 3 ? year : year - 1;
}

/** One winter-spring payment per winter to households in difficulty that suffered that year. */
function winterSpringRelief(
  random: Random,
  h: SynthHousehold,
  damage: DamageRecordRow[],
  people: number,
) {
  if (!inDifficulty(h)) return [];
  const byWinter = new Map<number, DamageRecordRow[]>();
  for (const record of damage) {
    const winter = winterOf(record.assessed_on);
    byWinter.set(winter, [...(byWinter.get(winter) ?? []), record]);
  }
  const out: ReliefPaymentRow[] = [];
  for (const [winter, records] of byWinter) {
    if (!random.chance(0.7)) continue;
    const lastAssessed = records.map((r) => r.assessed_on).reduce(maxDay);
    const opens = maxDay(isoDay(winter, 12, 1), addDays(lastAssessed, 7));
    // Relief for a whole year's disasters names no single event.
    const single = records.length === 1 && random.chance(0.6) ? records[0]!.event_id : null;
    const amount = people * random.int(6, 16) * 50;
    const paidOn = addDays(opens, random.int(0, 75));
    out.push(...payment(h, `WS-${winter}/${h.id}`, single, 'WINTER_SPRING_LIVING', amount, paidOn));
  }
  return out;
}

/** The household's damage and relief records over the catalogue (its prefecture's events). */
export function householdRecords(
  h: SynthHousehold,
  seed: number,
  prefectureEvents: readonly CatalogueEvent[],
): HouseholdDisasterRecords {
  const random = new Random(seed, 'disaster', h.index);
  const people = Math.max(1, h.members.filter((m) => m.status === 'active').length);
  const damage: DamageRecordRow[] = [];
  const relief: ReliefPaymentRow[] = [];
  for (const event of prefectureEvents) {
    if (!random.chance(damageChance(event, h))) continue;
    const record = damageRecord(random, event, h);
    damage.push(record);
    relief.push(...eventRelief(random, h, record, people));
  }
  relief.push(...winterSpringRelief(random, h, damage, people));
  return { damage, relief };
}

export function eventsByPrefecture(catalogue: readonly CatalogueEvent[]) {
  const byPrefecture = new Map<string, CatalogueEvent[]>();
  for (const event of catalogue) {
    byPrefecture.set(event.prefecture, [...(byPrefecture.get(event.prefecture) ?? []), event]);
  }
  return byPrefecture;
}
