import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identityNumberProblem } from '../../schema/identity-number.ts';
import { COUNTY_BY_CODE } from '../../subgraphs/runtime/seed/guangdong.ts';
import { PopulationGenerator, populationChunks } from '../../subgraphs/runtime/seed/population.ts';

function digest(seed: number, households: number): string {
  const hash = createHash('sha256');
  for (const chunk of populationChunks(seed, households, 250)) hash.update(JSON.stringify(chunk));
  return hash.digest('hex');
}

describe('synthetic population', () => {
  const households = new PopulationGenerator(42).take(5000);
  const people = households.flatMap((h) => h.members);

  it('is deterministic: the same seed gives the same data, another seed other data', () => {
    expect(digest(42, 2000)).toBe(digest(42, 2000));
    expect(digest(42, 2000)).not.toBe(digest(43, 2000));
    // Chunking does not change the data.
    expect(JSON.stringify(new PopulationGenerator(42).take(700))).toBe(
      JSON.stringify([...populationChunks(42, 700, 100)].flat()),
    );
  });

  it('gives every person a valid, unique identity number that agrees with the person', () => {
    const ids = new Set<string>();
    for (const p of people) {
      expect(identityNumberProblem(p.id, new Date('2026-07-01'))).toBeNull();
      expect(p.id.slice(6, 14)).toBe(p.birthDate.replace(/-/g, ''));
      expect(Number(p.id[16]) % 2).toBe(p.gender === 'male' ? 1 : 0);
      ids.add(p.id);
    }
    expect(ids.size).toBe(people.length);
  });

  it('registers households in real Guangdong counties, people mostly born there', () => {
    for (const h of households) {
      expect(COUNTY_BY_CODE.get(h.county.code)?.prefecture.code).toBe(h.prefecture.code);
      expect(h.id.startsWith(h.county.code)).toBe(true);
    }
    const local = people.filter((p) => COUNTY_BY_CODE.has(p.id.slice(0, 6))).length;
    expect(local / people.length).toBeGreaterThan(0.9);
  });

  it('has realistic household sizes and a few percent on assistance', () => {
    const mean = people.length / households.length;
    expect(mean).toBeGreaterThan(2.3);
    expect(mean).toBeLessThan(3.3);
    const share = (need: string) =>
      households.filter((h) => h.need === need).length / households.length;
    expect(share('dibao')).toBeGreaterThan(0.01);
    expect(share('dibao')).toBeLessThan(0.08);
    expect(share('tekun')).toBeGreaterThan(0);
    expect(share('tekun')).toBeLessThan(0.02);
  });

  it('follows the standards: dibao below the standard, low-income up to 1.5x, others above', () => {
    for (const h of households) {
      if (h.need === 'dibao' || h.need === 'tekun')
        expect(h.perCapitaIncome).toBeLessThan(h.dibaoStandard);
      else if (h.need === 'low-income') {
        expect(h.perCapitaIncome).toBeGreaterThan(h.dibaoStandard);
        expect(h.perCapitaIncome).toBeLessThanOrEqual(h.dibaoStandard * 1.5);
      } else expect(h.perCapitaIncome).toBeGreaterThan(h.dibaoStandard * 1.5);
      const total = h.members.reduce((sum, m) => sum + m.monthlyIncome, 0);
      expect(Math.abs(total - h.perCapitaIncome * h.members.length)).toBeLessThanOrEqual(
        h.members.length,
      );
    }
  });

  it('makes the Pearl River Delta richer than the east, west and north', () => {
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const prd = households
      .filter((h) => h.prefecture.area === 'prd' && !h.need)
      .map((h) => h.perCapitaIncome);
    const rest = households
      .filter((h) => h.prefecture.area !== 'prd' && !h.need)
      .map((h) => h.perCapitaIncome);
    expect(median(prd)).toBeGreaterThan(median(rest) * 1.4);
  });
});
