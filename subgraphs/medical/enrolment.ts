/**
 * Who is insured under which scheme since when, and the premium subsidies of assistance
 * recipients. Employees are enrolled by their employer; everyone else joins the resident scheme
 * yearly, and a few (more among flexible workers and people from other provinces) do not.
 */
import type { Need, SynthHousehold, SynthPerson } from '../runtime/seed/population.ts';
import type { Random } from '../runtime/seed/random.ts';
import { FIRST_SETTLED, LAST_SETTLED, monthIndex, monthOf } from './periods.ts';
import type { InsuranceRow, InsuranceScheme } from './tables.ts';

/** Resident-scheme premium per person for the subsidy year, CNY (the 2025 national floor: 400). */
export const RESIDENT_PREMIUM = 400;
export const SUBSIDY_YEAR = 2026;
/** Assistance pays tekun and dibao members' whole premium, low-income members' half. */
const SUBSIDY_SHARE: Record<NonNullable<Need>, number> = { tekun: 1, dibao: 1, 'low-income': 0.5 };
/** Guangdong's cities set up employee medical insurance around 1999-2001. */
const EMPLOYEE_SCHEME_YEAR = 1999;

export interface Enrolment {
  row: InsuranceRow;
  /** Month indices (inclusive) in which the fund paid claims; null when never insured. */
  covered: { from: number; to: number } | null;
}

/** Identity numbers carry the birthplace: a non-Guangdong code marks a migrant. */
function isMigrant(person: SynthPerson): boolean {
  return !person.id.startsWith('44');
}

function sinceDate(index: number): string {
  return `${monthOf(index)}-01`;
}

function employeeSince(person: SynthPerson, random: Random): number {
  const birthYear = Number(person.birthDate.slice(0, 4));
  let year = Math.max(birthYear + random.int(18, 25), EMPLOYEE_SCHEME_YEAR + random.int(0, 2));
  // A job in another city starts a new local record; migrants change cities more often.
  if (random.chance(isMigrant(person) ? 0.6 : 0.25)) year = Math.max(year, random.int(2010, 2025));
  return Math.min(LAST_SETTLED, year * 12 + random.int(0, 11));
}

function residentSince(person: SynthPerson, random: Random): number {
  // Newborns are enrolled from birth; others joined as rural and urban resident insurance spread.
  const joined = random.int(2007, 2016) * 12 + random.int(0, 11);
  return Math.min(LAST_SETTLED, Math.max(monthIndex(person.birthDate), joined));
}

function uncoveredOdds(household: SynthHousehold, person: SynthPerson): number {
  // Employers must enrol employees, and assistance enrols (and pays for) its recipients.
  if (person.work === 'employed' || household.need !== null) return 0;
  return 0.012 + (person.work === 'flexible' ? 0.06 : 0) + (isMigrant(person) ? 0.07 : 0);
}

function row(person: SynthPerson, fields: Partial<InsuranceRow>): InsuranceRow {
  return {
    person_id: person.id,
    scheme: 'NONE',
    status: 'NOT_INSURED',
    insured_since: null,
    subsidy_kind: null,
    subsidy_amount: null,
    subsidy_year: null,
    critical_illness: person.criticalIllness ? 1 : 0,
    ...fields,
  };
}

export function enrol(household: SynthHousehold, person: SynthPerson, random: Random): Enrolment {
  const scheme: InsuranceScheme =
    person.work === 'employed' ? 'URBAN_EMPLOYEE' : 'URBAN_RURAL_RESIDENT';
  const since =
    scheme === 'URBAN_EMPLOYEE' ? employeeSince(person, random) : residentSince(person, random);
  if (random.chance(uncoveredOdds(household, person))) {
    // Resident premiums are paid per calendar year: a lapse starts in January.
    const lapsedYear = random.int(2022, 2026);
    const lastCovered = lapsedYear * 12 - 1;
    if (random.chance(0.5) || since > lastCovered) return { row: row(person, {}), covered: null };
    const fields = { scheme, status: 'LAPSED' as const, insured_since: sinceDate(since) };
    return { row: row(person, fields), covered: { from: since, to: lastCovered } };
  }
  if (person.status !== 'active') {
    // Death or a move out of the province closes the record some time within the window.
    const closed = random.int(FIRST_SETTLED, LAST_SETTLED);
    const fields = { scheme, status: 'LAPSED' as const, insured_since: sinceDate(since) };
    return { row: row(person, fields), covered: { from: since, to: closed } };
  }
  const share = household.need === null ? 0 : SUBSIDY_SHARE[household.need];
  // Subsidies pay the resident premium; employees' premiums come out of their wages.
  const subsidy =
    share > 0 && scheme === 'URBAN_RURAL_RESIDENT'
      ? {
          subsidy_kind: share === 1 ? ('FULL' as const) : ('PARTIAL' as const),
          subsidy_amount: RESIDENT_PREMIUM * share,
          subsidy_year: SUBSIDY_YEAR,
        }
      : {};
  const fields = {
    scheme,
    status: 'INSURED' as const,
    insured_since: sinceDate(since),
    ...subsidy,
  };
  return { row: row(person, fields), covered: { from: since, to: LAST_SETTLED } };
}
