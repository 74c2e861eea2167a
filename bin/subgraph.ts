/** `npm run subgraph -- <name>`: one department alone, as it runs in a real deployment. */
import { subgraphVerificationKeys } from '../lib/identity/resolve.ts';
import { launchDepartments } from '../subgraphs/runtime/launch.ts';
import { SUBGRAPHS } from '../schema/catalogue.ts';
import { configFor, fail, parse } from './cli.ts';

const { positionals } = parse({}, 'npm run subgraph -- <name>');
const name = positionals[0];
if (!name || !SUBGRAPHS.some((s) => s.name === name)) {
  fail(`usage: npm run subgraph -- <name>   (one of: ${SUBGRAPHS.map((s) => s.name).join(', ')})`);
}
const cfg = configFor({ kind: 'department', name });
const launched = await launchDepartments({
  names: [name],
  dataDir: cfg.dataDir,
  databaseUrl: cfg.databaseUrl,
  host: cfg.host,
  ports: cfg.subgraphPorts,
  seed: cfg.seed,
  households: cfg.seedHouseholds,
  accessKeys: await subgraphVerificationKeys(cfg),
  redisUrl: cfg.redisUrl,
  tls: cfg.subgraphTls,
  onProgress: (done, total) => {
    if (done === total || done % 5000 === 0)
      console.log(`  seeding ${name}: ${done} / ${total} households`);
  },
});
console.log(
  `${name} ready: ${launched.urls[name]} (answers the gateway only: access contexts required)`,
);
const stop = async () => {
  await launched.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
