/**
 * The catalogue of declared disasters from 2021-01 to 2026-06. It comes from one stream of its
 * own (not the households'), so the event table is the same whatever the population size, and
 * follows Guangdong's seasons: cold waves and droughts in winter, the "龙舟水" rains of April to
 * June (with landslides in the northern mountains), typhoons from July to October on the coast.
 */
import { AS_OF } from '../runtime/seed/population.ts';
import { PREFECTURES, type Prefecture } from '../runtime/seed/guangdong.ts';
import { Random } from '../runtime/seed/random.ts';
import { addDays, daysBetween, isoDay, monthDay } from './dates.ts';
import type { DisasterEventRow, ResponseLevel } from './tables.ts';

export interface CatalogueEvent extends DisasterEventRow {
  /** Landslides strike one county; null when the whole prefecture is affected. */
  county: string | null;
}

type Draft = Omit<CatalogueEvent, 'id'>;
type Weighted<T> = readonly (readonly [T, number])[];

const FIRST_YEAR = 2021;
const LAST_YEAR = 2026;
const LAST_START = '2026-06-30';

// Names from the Western Pacific typhoon list as Chinese reports render them.
const TYPHOON_NAMES = [
  '海葵', '苏拉', '摩羯', '山竹', '天鸽', '帕卡', '木兰', '马鞍', '查帕卡', '狮子山', '暹芭', '桑达',
  '泰利', '杜苏芮', '小犬', '山陀儿', '贝碧嘉', '普拉桑', '韦帕', '丹娜丝', '杨柳', '剑鱼', '白鹿',
  '海高斯', '浪卡', '莫拉菲', '卢碧', '圆规', '尼格', '鹦鹉', '沙德尔', '妮妲', '彩云', '榕树',
]; // prettier-ignore

/** The river whose numbered floods a prefecture declares. */
const RIVERS: Readonly<Record<string, string>> = {
  '440200': '北江', '441800': '北江', '441200': '西江', '445300': '西江', '441600': '东江',
  '441300': '东江', '441400': '韩江', '445100': '韩江', '440500': '韩江', '440900': '鉴江',
  '441700': '漠阳江', '445200': '榕江',
}; // prettier-ignore

const LANDFALL_LEVELS: Weighted<ResponseLevel> = [
  ['IV', 30],
  ['III', 45],
  ['II', 20],
  ['I', 5],
];
const RAIN_LEVELS: Weighted<ResponseLevel> = [
  ['IV', 45],
  ['III', 40],
  ['II', 13],
  ['I', 2],
];
const LOCAL_LEVELS: Weighted<ResponseLevel> = [
  ['IV', 60],
  ['III', 35],
  ['II', 5],
];
const WEAKER: Record<ResponseLevel, ResponseLevel> = { I: 'II', II: 'III', III: 'IV', IV: 'IV' };

const COASTAL = weights(
  PREFECTURES.filter((p) => p.typhoonExposure >= 0.4),
  (p) => p.typhoonExposure ** 2,
);
const FLOOD_PRONE = weights(PREFECTURES, (p) => p.floodExposure ** 2);
const COLD_NORTH = weights(
  PREFECTURES.filter((p) => p.area === 'north'),
  (p) => 1 - p.typhoonExposure,
);
const DRY_EAST_NORTH = weights(
  PREFECTURES.filter((p) => p.area === 'east' || p.area === 'north'),
  (p) => 1 - p.floodExposure / 2,
);

function weights(prefectures: readonly Prefecture[], weight: (p: Prefecture) => number) {
  return prefectures.map((p) => [p, weight(p)] as const);
}

/** Up to `count` distinct items, each draw weighted among those left. */
function pickDistinct<T>(random: Random, items: Weighted<T>, count: number): T[] {
  const left = [...items];
  const out: T[] = [];
  while (out.length < count && left.length > 0) {
    const item = random.weighted(left);
    out.push(item);
    left.splice(
      left.findIndex(([candidate]) => candidate === item),
      1,
    );
  }
  return out;
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function dayBetween(random: Random, from: string, to: string): string {
  return addDays(from, random.int(0, daysBetween(from, to)));
}

function typhoons(random: Random, year: number, names: string[], out: Draft[]): void {
  const days = Array.from({ length: random.int(3, 5) }, () =>
    dayBetween(random, isoDay(year, 7, 1), isoDay(year, 10, 30)),
  ).sort();
  for (const day of days) {
    const name = `台风“${names.shift()!}”`;
    const landfallLevel = random.weighted(LANDFALL_LEVELS);
    pickDistinct(random, COASTAL, random.int(1, 3)).forEach((p, i) => {
      // Neighbours of the landfall prefecture respond a level lower, a day later at most.
      const started = addDays(day, i === 0 ? 0 : random.int(0, 1));
      out.push({
        kind: 'TYPHOON',
        name,
        prefecture: p.code,
        county: null,
        started_on: started,
        ended_on: addDays(started, random.int(2, 4)),
        response_level: i === 0 ? landfallLevel : WEAKER[landfallLevel],
      });
    });
  }
}

function rainySeason(random: Random, year: number, out: Draft[]): void {
  const floodCount = new Map<string, number>();
  const days = Array.from({ length: random.int(2, 4) }, () =>
    dayBetween(random, isoDay(year, 4, 10), isoDay(year, 6, 25)),
  ).sort();
  for (const day of days) {
    const level = random.weighted(RAIN_LEVELS);
    // One flood wave on a river carries one number in every prefecture it reaches.
    const floodNames = new Map<string, string>();
    pickDistinct(random, FLOOD_PRONE, random.int(1, 3)).forEach((p, i) => {
      const started = addDays(day, random.int(0, 2));
      const river = RIVERS[p.code];
      const flood = river !== undefined && random.chance(p.floodExposure * 0.6);
      let name: string;
      if (flood) {
        if (!floodNames.has(river)) {
          const n = (floodCount.get(river) ?? 0) + 1;
          floodCount.set(river, n);
          floodNames.set(river, `${river}${year}年第${n}号洪水`);
        }
        name = floodNames.get(river)!;
      } else {
        const dragonBoatWater = day >= isoDay(year, 5, 21) && day <= isoDay(year, 6, 20);
        name = dragonBoatWater ? `${year}年“龙舟水”强降雨` : `“${monthDay(day)}”暴雨`;
      }
      out.push({
        kind: flood ? 'FLOOD' : 'RAINSTORM',
        name,
        prefecture: p.code,
        county: null,
        started_on: started,
        ended_on: addDays(started, flood ? random.int(4, 10) : random.int(2, 5)),
        response_level: i === 0 ? level : WEAKER[level],
      });
      if (p.floodExposure >= 0.7 && random.chance(0.3)) out.push(landslide(random, p, started));
    });
  }
}

/** Saturated slopes give way a few days after the rain, in one mountain county. */
function landslide(random: Random, p: Prefecture, rainStarted: string): Draft {
  const rural = p.counties.filter((c) => c.rural);
  const county = random.pick(rural.length > 0 ? rural : p.counties);
  const started = addDays(rainStarted, random.int(1, 4));
  return {
    kind: 'LANDSLIDE',
    name: `${county.name}“${monthDay(started)}”山体滑坡`,
    prefecture: p.code,
    county: county.code,
    started_on: started,
    ended_on: addDays(started, random.int(1, 3)),
    response_level: random.weighted(LOCAL_LEVELS),
  };
}

function coldWave(random: Random, year: number, month: number, out: Draft[]): void {
  const day = dayBetween(random, isoDay(year, month, 1), isoDay(year, month, 27));
  const level = random.weighted(LOCAL_LEVELS);
  const name = level === 'II' ? `${year}年${month}月低温雨雪冰冻` : `${year}年${month}月寒潮`;
  for (const p of pickDistinct(random, COLD_NORTH, random.int(1, 3))) {
    const started = addDays(day, random.int(0, 1));
    out.push({
      kind: 'COLD_WAVE',
      name,
      prefecture: p.code,
      county: null,
      started_on: started,
      ended_on: addDays(started, random.int(3, 7)),
      response_level: level,
    });
  }
}

/** Autumn-winter droughts in the east and north, which last for months. */
function drought(random: Random, year: number, out: Draft[]): void {
  const day = dayBetween(random, isoDay(year, 10, 1), isoDay(year, 12, 15));
  const level = random.weighted(LOCAL_LEVELS);
  for (const p of pickDistinct(random, DRY_EAST_NORTH, random.int(1, 2))) {
    out.push({
      kind: 'DROUGHT',
      name: `${year}年秋冬干旱`,
      prefecture: p.code,
      county: null,
      started_on: day,
      ended_on: addDays(day, random.int(60, 150)),
      response_level: level,
    });
  }
}

/** Ids number each year's events in the order they started: DE-2024-0007. */
function numbered(drafts: Draft[]): CatalogueEvent[] {
  const sorted = drafts
    .filter((d) => d.started_on <= LAST_START)
    .sort(
      (a, b) =>
        a.started_on.localeCompare(b.started_on) ||
        a.prefecture.localeCompare(b.prefecture) ||
        a.kind.localeCompare(b.kind),
    );
  const perYear = new Map<string, number>();
  return sorted.map((draft) => {
    const year = draft.started_on.slice(0, 4);
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    const ongoing = draft.ended_on !== null && draft.ended_on > AS_OF;
    return {
      ...draft,
      id: `DE-${year}-${String(n).padStart(4, '0')}`,
      ended_on: ongoing ? null : draft.ended_on,
    };
  });
}

/** Every event declared over the period, oldest first; the same list for the same seed. */
export function disasterCatalogue(seed: number): CatalogueEvent[] {
  const random = new Random(seed, 'disaster', 'events');
  const names = shuffled(random, TYPHOON_NAMES);
  const drafts: Draft[] = [];
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    if (random.chance(0.55)) coldWave(random, year, random.int(1, 2), drafts);
    rainySeason(random, year, drafts);
    if (year === LAST_YEAR) continue;
    typhoons(random, year, names, drafts);
    if (random.chance(0.35)) drought(random, year, drafts);
    if (random.chance(0.3)) coldWave(random, year, 12, drafts);
  }
  return numbered(drafts);
}

/** The stored row: the county is the generator's, not part of the published event. */
export function eventRow({ county: _county, ...row }: CatalogueEvent): DisasterEventRow {
  return row;
}
