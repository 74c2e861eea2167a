/**
 * Aggregate statistics for analysts: current recipients by region and program, with small-cell
 * suppression (a cell with fewer households than the catalogue's threshold shows no figures), so
 * that no count can single out a family in a small county.
 */
import { sql } from 'kysely';
import { CATALOGUE } from '../../schema/catalogue.ts';
import { COUNTY_BY_CODE, PREFECTURE_BY_CODE } from '../runtime/seed/guangdong.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import type { AssistanceLoaders } from './loaders.ts';
import { statusDay } from './loaders.ts';
import type { Program } from './tables.ts';

type Context = SubgraphContext<AssistanceLoaders>;

interface Cell {
  region: string;
  program: Program;
  households: number;
  persons: number;
  monthlyAmount: number;
}

export async function assistanceStatistics(
  _: unknown,
  args: { program?: Program | null; by?: 'PREFECTURE' | 'COUNTY' | null },
  { loaders }: Context,
) {
  const day = statusDay();
  let query = loaders.db
    .selectFrom('determinations')
    .select([
      'region',
      'program',
      sql<number>`count(distinct household_id)`.as('households'),
      sql<number>`sum(covered_members)`.as('persons'),
      sql<number>`coalesce(sum(monthly_amount), 0)`.as('amount'),
    ])
    .where('decision', '=', 'APPROVED')
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', day)]))
    .groupBy(['region', 'program']);
  if (args.program) query = query.where('program', '=', args.program);
  const rows = await query.execute();
  const byPrefecture = (args.by ?? 'PREFECTURE') === 'PREFECTURE';
  const cells = new Map<string, Cell>();
  for (const row of rows) {
    // Counting households per county then adding is exact: a household lives in one county.
    const region = byPrefecture
      ? (COUNTY_BY_CODE.get(row.region)?.prefecture.code ?? row.region)
      : row.region;
    const key = `${region}/${row.program}`;
    const cell = cells.get(key) ?? {
      region,
      program: row.program,
      households: 0,
      persons: 0,
      monthlyAmount: 0,
    };
    cell.households += Number(row.households);
    cell.persons += Number(row.persons);
    cell.monthlyAmount += Number(row.amount);
    cells.set(key, cell);
  }
  const threshold = CATALOGUE.smallCellThreshold;
  return [...cells.values()]
    .sort((a, b) => a.region.localeCompare(b.region) || a.program.localeCompare(b.program))
    .map((c) => {
      const suppressed = c.households < threshold;
      return {
        region: c.region,
        regionName: byPrefecture
          ? (PREFECTURE_BY_CODE.get(c.region)?.name ?? null)
          : (COUNTY_BY_CODE.get(c.region)?.county.name ?? null),
        program: c.program,
        households: suppressed ? null : c.households,
        persons: suppressed ? null : c.persons,
        monthlyAmount: suppressed ? null : Math.round(c.monthlyAmount * 100) / 100,
        suppressed,
      };
    });
}
