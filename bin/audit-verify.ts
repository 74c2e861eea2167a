/**
 * `npm run audit:verify`: recomputes the access log's hash chain from the first record and names
 * the first record that does not check out. Exit 0 when intact, 1 when broken.
 */
import { openDatabase } from '../lib/db.ts';
import { AUDIT_DATABASE } from '../gateway/audit/index.ts';
import { AuditLog, type AuditTables } from '../gateway/audit/audit-log.ts';
import { config, parse } from './cli.ts';

const { values } = parse(
  { prefix: { type: 'string' } },
  'npm run audit:verify -- [--prefix schema_prefix_]',
);
const cfg = config();
const database = await openDatabase<AuditTables>({
  name: `${values.prefix ?? ''}${AUDIT_DATABASE}`,
  dataDir: cfg.dataDir,
  databaseUrl: cfg.databaseUrl,
});
try {
  const log = await AuditLog.open(database, () => undefined);
  const result = await log.verify();
  if (result.ok) {
    console.log(`access log intact: ${result.checked} records, hash chain verified`);
  } else {
    console.log(
      `access log BROKEN at record ${result.brokenAt}: ${result.reason} (${result.checked} records before it verified)`,
    );
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
