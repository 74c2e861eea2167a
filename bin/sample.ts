/** `npm run sample -- [--n 5]`: real household numbers and members from the seeded registry. */
import { openDatabase } from '../lib/db.ts';
import { sampleHouseholds } from '../subgraphs/household/sample.ts';
import type { HouseholdDB } from '../subgraphs/household/tables.ts';
import { config, fail, parse } from './cli.ts';

const { values } = parse({ n: { type: 'string', default: '5' } }, 'npm run sample -- [--n 5]');
const n = Number(values.n);
if (!Number.isInteger(n) || n < 1 || n > 1000) fail('--n must be a whole number from 1 to 1000');
const cfg = config();
const database = await openDatabase<HouseholdDB>({
  name: 'household',
  dataDir: cfg.dataDir,
  databaseUrl: cfg.databaseUrl,
});
try {
  const samples = await sampleHouseholds(database.db, n);
  if (samples.length === 0) fail('the registry is empty: run `npm start` once to seed it');
  for (const s of samples) process.stdout.write(`${JSON.stringify(s)}\n`);
} catch (error) {
  if ((error as Error).message.includes('no such table'))
    fail('no seeded data yet: run `npm start` once first');
  throw error;
} finally {
  await database.close();
}
