/** `npm run token -- <dept> [--role r ...] [--ttl 8h]`: prints a development department token. */
import { CATALOGUE } from '../schema/catalogue.ts';
import { isIdentityNumber } from '../schema/identity-number.ts';
import { issueDepartmentToken } from '../lib/identity/dev-tokens.ts';
import { config, developmentOnly, durationSeconds, fail, parse } from './cli.ts';

const usage =
  'npm run token -- <department> [--role ROLE ...] [--sub CLIENT] [--ttl 8h]   (citizen: npm run token -- citizen --sub <identity number>)';
const { values, positionals } = parse(
  { role: { type: 'string', multiple: true }, sub: { type: 'string' }, ttl: { type: 'string' } },
  usage,
);
developmentOnly('npm run token');
const cfg = config();
const dept = positionals[0];
if (!dept || positionals.length > 1) fail(`usage: ${usage}`);
if (dept === 'citizen' && !isIdentityNumber(values.sub ?? '')) {
  fail("a citizen token needs --sub <the citizen's identity number>");
}
if (!CATALOGUE.departments[dept]) {
  fail(
    `unknown department "${dept}"; the catalogue lists: ${Object.keys(CATALOGUE.departments).join(', ')}`,
  );
}
const token = await issueDepartmentToken(cfg.dataDir, {
  dept,
  ...(values.role ? { roles: values.role } : {}),
  ...(values.sub ? { sub: values.sub } : {}),
  ...(values.ttl ? { ttlSeconds: durationSeconds(values.ttl) } : {}),
});
process.stdout.write(`${token}\n`);
