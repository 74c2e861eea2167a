/**
 * The synthetic population every department describes: households registered in Guangdong's
 * counties, their members, and the latent facts (work, income, health, need) that each department's
 * records reflect. Generated in one deterministic pass (identity numbers must be unique across the
 * province); each department then derives its own records per household from its own stream.
 */
import { makeIdentityNumber } from '../../../schema/identity-number.ts';
import { STANDARDS, dibaoStandard } from '../../../schema/standards.ts';
import {
  ETHNICITIES,
  GIVEN_NAME_CHARS_FEMALE,
  GIVEN_NAME_CHARS_MALE,
  PREFECTURES,
  SURNAMES,
  type County,
  type Prefecture,
} from './guangdong.ts';
import { Random } from './random.ts';

/** Every generated date is relative to this day, so the same seed gives the same data any day. */
export const AS_OF = '2026-07-01';
const AS_OF_YEAR = 2026;

export type Relation = 'head' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'sibling';
export type Work =
  | 'employed'
  | 'flexible'
  | 'farmer'
  | 'unemployed'
  | 'retired'
  | 'student'
  | 'preschool'
  | 'unable';
export type Need = 'tekun' | 'dibao' | 'low-income' | null;

export interface SynthPerson {
  id: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  age: number;
  ethnicity: string;
  relation: Relation;
  status: 'active' | 'deceased' | 'moved';
  work: Work;
  /** Personal income, CNY per month. */
  monthlyIncome: number;
  disability: boolean;
  chronicIllness: boolean;
  criticalIllness: boolean;
}

export interface SynthHousehold {
  index: number;
  id: string;
  prefecture: Prefecture;
  county: County;
  hukouType: 'urban' | 'rural';
  address: string;
  members: SynthPerson[];
  /** Per-capita household income, CNY per month. */
  perCapitaIncome: number;
  dibaoStandard: number;
  /** The assistance the household qualifies for under the seed's rules. */
  need: Need;
}

const SIZE_WEIGHTS = [
  [1, 20],
  [2, 25],
  [3, 22],
  [4, 17],
  [5, 10],
  [6, 6],
] as const;
const OUT_OF_PROVINCE = ['430102', '450102', '360102', '510104', '420102', '350102', '460105'];
const STREET_CHARS = '东南西北中新兴华建民富荣安和平康宁福德顺明光泰隆昌盛'.split('');
const PREFECTURE_WEIGHTS = PREFECTURES.map((p) => [p, p.population] as const);

/** Household numbers: county code + a 9-digit number that is a bijection of the index. */
function householdNumber(county: string, index: number): string {
  const scrambled = (index * 7_368_787 + 104_729) % 1_000_000_000;
  return `${county}${String(scrambled).padStart(9, '0')}`;
}

function dateOf(age: number, random: Random): string {
  const year = AS_OF_YEAR - age - (random.chance(0.5) ? 1 : 0);
  const month = random.int(1, 12);
  const day = random.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  const birth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return birth > AS_OF ? `${year - 1}-${birth.slice(5)}` : birth;
}

function ageOf(birthDate: string): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = AS_OF.split('-').map(Number) as [number, number, number];
  return ay - y - (am < m || (am === m && ad < d) ? 1 : 0);
}

export class PopulationGenerator {
  private readonly usedIds = new Set<string>();
  private next = 0;

  constructor(private readonly seed: number) {}

  /** Generates the next `count` households (the pass must run in order: ids are deduplicated). */
  take(count: number): SynthHousehold[] {
    const out: SynthHousehold[] = [];
    for (let i = 0; i < count; i++) out.push(this.household(this.next++));
    return out;
  }

  private household(index: number): SynthHousehold {
    const random = new Random(this.seed, 'population', index);
    const prefecture = random.weighted(PREFECTURE_WEIGHTS);
    const county = random.pick(prefecture.counties);
    const hukouType = county.rural && random.chance(0.75) ? 'rural' : 'urban';
    const size = random.weighted(SIZE_WEIGHTS);
    const members = this.members(random, county.code, size);
    const standard = dibaoStandard(prefecture.regionClass, hukouType);
    const need = this.need(random, prefecture, hukouType, members);
    const perCapitaIncome = this.income(random, prefecture, hukouType, need, standard);
    this.distributeIncome(random, members, perCapitaIncome);
    const street = `${random.pick(STREET_CHARS)}${random.pick(STREET_CHARS)}`;
    // Dongguan and Zhongshan have no counties: the city name stands alone.
    const place =
      county.code === prefecture.code ? prefecture.name : `${prefecture.name}${county.name}`;
    const address =
      hukouType === 'rural'
        ? `${place}${street}镇${random.pick(STREET_CHARS)}${random.pick(STREET_CHARS)}村${random.int(1, 12)}组${random.int(1, 80)}号`
        : `${place}${street}路${random.int(1, 400)}号${random.int(1, 30)}${String(random.int(1, 8)).padStart(2, '0')}房`;
    return {
      index,
      id: householdNumber(county.code, index),
      prefecture,
      county,
      hukouType,
      address,
      members,
      perCapitaIncome,
      dibaoStandard: standard,
      need,
    };
  }

  private members(random: Random, region: string, size: number): SynthPerson[] {
    const surname = random.weighted(SURNAMES);
    const single = size === 1;
    const headAge = single ? random.int(22, 92) : random.int(26, 80);
    const headGender = single ? (random.chance(0.5) ? 'male' : 'female') : 'male';
    const people: SynthPerson[] = [
      this.person(random, region, 'head', headAge, headGender, surname),
    ];
    if (size >= 2) {
      const spouseAge = Math.max(20, headAge + random.int(-6, 3));
      people.push(this.person(random, region, 'spouse', spouseAge, 'female'));
    }
    for (let k = people.length; k < size; k++) {
      const roll = random.next();
      if (headAge >= 52 && roll < 0.25) {
        people.push(
          this.person(random, region, 'grandchild', random.int(0, 14), undefined, surname),
        );
      } else if (headAge <= 55 && roll < 0.4) {
        const age = Math.min(99, headAge + random.int(22, 34));
        people.push(this.person(random, region, 'parent', age, undefined, surname));
      } else if (roll < 0.95) {
        // Parents are 20 to 42 years older than their children.
        const age = Math.max(0, headAge - random.int(20, 42));
        people.push(this.person(random, region, 'child', age, undefined, surname));
      } else {
        const age = Math.max(16, headAge + random.int(-10, 10));
        people.push(this.person(random, region, 'sibling', age, undefined, surname));
      }
    }
    return people;
  }

  private person(
    random: Random,
    region: string,
    relation: Relation,
    age: number,
    gender?: 'male' | 'female',
    surname?: string,
  ): SynthPerson {
    const g = gender ?? (random.chance(0.51) ? 'male' : 'female');
    const chars = g === 'male' ? GIVEN_NAME_CHARS_MALE : GIVEN_NAME_CHARS_FEMALE;
    const given = random.chance(0.8) ? random.pick(chars) + random.pick(chars) : random.pick(chars);
    const name = (surname ?? random.weighted(SURNAMES)) + given;
    const birthDate = dateOf(age, random);
    const origin = random.chance(0.05) ? random.pick(OUT_OF_PROVINCE) : region;
    let id = '';
    for (let attempt = 0; ; attempt++) {
      const sequence = random.int(0, 499) * 2 + (g === 'male' ? 1 : 0);
      id = makeIdentityNumber(origin, birthDate, sequence);
      if (!this.usedIds.has(id)) break;
      if (attempt > 50) throw new Error('identity number space exhausted for one birth date');
    }
    this.usedIds.add(id);
    const realAge = ageOf(birthDate);
    const elderly = realAge >= 60;
    const disability = random.chance(elderly ? 0.08 : 0.025);
    const chronicIllness = random.chance(elderly ? 0.35 : realAge >= 40 ? 0.12 : 0.03);
    const criticalIllness = random.chance(elderly ? 0.03 : 0.006);
    const statusRoll = random.next();
    const status = statusRoll < 0.003 ? 'deceased' : statusRoll < 0.008 ? 'moved' : 'active';
    return {
      id,
      name,
      gender: g,
      birthDate,
      age: realAge,
      ethnicity: random.weighted(ETHNICITIES),
      relation,
      status,
      work: 'unable',
      monthlyIncome: 0,
      disability,
      chronicIllness,
      criticalIllness,
    };
  }

  /** Latent eligibility: poorer areas, rural hukou, illness and disability raise the odds. */
  private need(
    random: Random,
    prefecture: Prefecture,
    hukou: 'urban' | 'rural',
    members: SynthPerson[],
  ): Need {
    const areaFactor = prefecture.area === 'prd' ? 0.45 : 1.25;
    const hukouFactor = hukou === 'rural' ? 1.4 : 0.8;
    const vulnerable = members.some((m) => m.disability || m.criticalIllness) ? 2.2 : 1;
    const head = members[0]!;
    if (
      members.length === 1 &&
      (head.age >= 60 || head.disability) &&
      random.chance(0.12 * areaFactor)
    ) {
      return 'tekun';
    }
    const roll = random.next();
    const dibao = 0.028 * areaFactor * hukouFactor * vulnerable;
    if (roll < dibao) return 'dibao';
    if (roll < dibao + 0.025 * areaFactor * hukouFactor * vulnerable) return 'low-income';
    return null;
  }

  private income(
    random: Random,
    prefecture: Prefecture,
    hukou: 'urban' | 'rural',
    need: Need,
    standard: number,
  ): number {
    if (need === 'tekun') return Math.round(standard * random.next() * 0.4);
    if (need === 'dibao') return Math.round(standard * (0.2 + random.next() * 0.75));
    if (need === 'low-income') {
      return Math.round(standard * (1.02 + random.next() * (STANDARDS.lowIncomeFactor - 1.05)));
    }
    const median = (prefecture.perCapitaIncome / 12) * (hukou === 'rural' ? 0.55 : 1);
    const floor = standard * STANDARDS.lowIncomeFactor * 1.05;
    return Math.round(Math.max(floor, random.logNormal(median, 0.55)));
  }

  /** Assigns work and personal incomes that add up to the household's income. */
  private distributeIncome(random: Random, members: SynthPerson[], perCapita: number): void {
    const total = perCapita * members.length;
    const earners: SynthPerson[] = [];
    for (const m of members) {
      if (m.age < 6) m.work = 'preschool';
      else if (m.age < 18 || (m.age < 23 && random.chance(0.5))) m.work = 'student';
      else if (m.age >= 60) m.work = random.chance(0.7) ? 'retired' : 'unable';
      else if (m.disability || m.criticalIllness) m.work = 'unable';
      else if (random.chance(0.06)) m.work = 'unemployed';
      else
        m.work = random.weighted([
          ['employed', 70],
          ['flexible', 18],
          ['farmer', 12],
        ] as const);
      if (
        m.work === 'employed' ||
        m.work === 'flexible' ||
        m.work === 'farmer' ||
        m.work === 'retired'
      ) {
        earners.push(m);
      }
    }
    // No one works: the income is transfers, family support or rent, attributed to the head.
    if (earners.length === 0) earners.push(members[0]!);
    const shares = earners.map((m) => (m.work === 'retired' ? 0.5 : 1) * (0.6 + random.next()));
    const sum = shares.reduce((a, b) => a + b, 0);
    earners.forEach((m, i) => (m.monthlyIncome = Math.round((total * shares[i]!) / sum)));
  }
}

/** Generates households in chunks, in order: the way every department's seeder consumes them. */
export function* populationChunks(
  seed: number,
  households: number,
  chunkSize = 1000,
): Generator<SynthHousehold[]> {
  const generator = new PopulationGenerator(seed);
  for (let done = 0; done < households; done += chunkSize) {
    yield generator.take(Math.min(chunkSize, households - done));
  }
}
