/**
 * `npm run gateway`: the gateway alone, as it runs in a deployment: no department in this
 * process; it calls each department at SUBGRAPH_<NAME>_URL (every one required) and /readyz
 * probes them there. Shares revocations and rate limits with its replicas through REDIS_URL, and
 * one access log through DATABASE_URL.
 *
 * SIGTERM or SIGINT drains the requests in flight, flushes the access log, then exits.
 */
import { startPlatform } from '../gateway/platform.ts';
import { configFor } from './cli.ts';
import { closeOnSignals } from './shutdown.ts';

const config = configFor({ kind: 'gateway' });
const platform = await startPlatform(config, {
  log: (line) => console.log(line),
  remoteDepartments: config.subgraphUrls,
});
closeOnSignals(() => platform.close());
