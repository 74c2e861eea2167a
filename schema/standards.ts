/** Assistance standards per region class (standards.json), read and checked once. */
import { readFileSync } from 'node:fs';

export type RegionClassKey = '1' | '2' | '3' | '4';

export interface AssistanceStandards {
  dibaoStandard: Record<RegionClassKey, { urban: number; rural: number }>;
  lowIncomeFactor: number;
  tekunSupportFactor: number;
  reviewMonths: { tekun: number; stableDibao: number; variableDibao: number; lowIncome: number };
  phaseOutMonths: number;
}

function load(): AssistanceStandards {
  const doc = JSON.parse(
    readFileSync(new URL('./standards.json', import.meta.url), 'utf8'),
  ) as AssistanceStandards;
  for (const key of ['1', '2', '3', '4'] as const) {
    const s = doc.dibaoStandard?.[key];
    if (!s || !(s.urban > 0) || !(s.rural > 0)) {
      throw new Error(`schema/standards.json: dibaoStandard.${key} needs positive urban and rural`);
    }
  }
  if (!(doc.lowIncomeFactor > 1) || !(doc.tekunSupportFactor > 1)) {
    throw new Error('schema/standards.json: lowIncomeFactor and tekunSupportFactor must exceed 1');
  }
  return doc;
}

export const STANDARDS: AssistanceStandards = load();

export function dibaoStandard(regionClass: number, hukou: 'urban' | 'rural'): number {
  const entry = STANDARDS.dibaoStandard[String(regionClass) as RegionClassKey];
  if (!entry) throw new Error(`unknown region class ${regionClass}`);
  return entry[hukou];
}
