/**
 * `npm run consent -- --household <id> --grantee <dept> --purpose <code> [--ttl 30d]`: prints a
 * development consent token signed by the consent authority, covering every member of the seeded
 * household (or --subject ids), for the categories of the purpose (or --category ones).
 */
import { CATALOGUE } from '../schema/catalogue.ts';
import { isIdentityNumber } from '../schema/identity-number.ts';
import { openDatabase } from '../lib/db.ts';
import { issueConsentToken, maxConsentSeconds } from '../lib/identity/dev-tokens.ts';
import type { HouseholdDB } from '../subgraphs/household/tables.ts';
import { config, developmentOnly, durationSeconds, fail, parse } from './cli.ts';

const usage =
  'npm run consent -- --household ID --grantee DEPT [--grantee DEPT2] --purpose CODE [--ttl 30d] [--subject ID ...] [--category C ...]';
const { values } = parse(
  {
    household: { type: 'string' },
    grantee: { type: 'string', multiple: true },
    purpose: { type: 'string' },
    ttl: { type: 'string' },
    subject: { type: 'string', multiple: true },
    category: { type: 'string', multiple: true },
  },
  usage,
);
developmentOnly('npm run consent');
const cfg = config();
if (!values.household || !values.grantee || !values.purpose) fail(`usage: ${usage}`);
const purpose = CATALOGUE.purposes[values.purpose];
if (!purpose)
  fail(
    `unknown purpose "${values.purpose}"; the catalogue lists: ${Object.keys(CATALOGUE.purposes).join(', ')}`,
  );
for (const g of values.grantee) if (!CATALOGUE.departments[g]) fail(`unknown department "${g}"`);
for (const c of values.category ?? []) {
  if (!purpose.categories.includes(c))
    fail(`the purpose "${values.purpose}" does not use the category "${c}"`);
}
const longest = maxConsentSeconds(values.purpose!);
if (longest === 0) fail(`the purpose "${values.purpose}" is used without consent`);
const ttl = values.ttl ? durationSeconds(values.ttl) : Math.min(30 * 86400, longest);
if (ttl > longest)
  fail(
    `a consent for "${values.purpose}" lasts at most ${longest / 86400} days (the catalogue's maxConsentDays)`,
  );

let subjects = values.subject ?? [];
if (subjects.some((s) => !isIdentityNumber(s))) fail('a --subject is not a valid identity number');
if (subjects.length === 0) {
  const database = await openDatabase<HouseholdDB>({
    name: 'household',
    dataDir: cfg.dataDir,
    databaseUrl: cfg.databaseUrl,
  });
  try {
    const rows = await database.db
      .selectFrom('persons')
      .select(['id', 'relation'])
      .where('household_id', '=', values.household)
      .execute();
    subjects = rows
      .sort((a, b) => Number(b.relation === 'head') - Number(a.relation === 'head'))
      .map((r) => r.id);
  } catch {
    fail(
      'cannot read the seeded household registry: run `npm start` once first, or pass --subject ids',
    );
  } finally {
    await database.close();
  }
  if (subjects.length === 0)
    fail(`household ${values.household} is not in the seeded registry (npm run sample lists some)`);
}
const token = await issueConsentToken(cfg.dataDir, {
  household: values.household,
  subjects,
  grantees: values.grantee,
  purpose: values.purpose,
  ...(values.category ? { categories: values.category } : {}),
  ttlSeconds: ttl,
});
process.stdout.write(`${token}\n`);
