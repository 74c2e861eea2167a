/**
 * `npm start`: the whole platform in one process for development: the six departments on
 * 4001-4006 (seeded on first start), and the gateway with the explorer on 4000.
 *
 * SIGTERM or SIGINT shuts down gracefully: the gateway stops accepting connections, finishes the
 * requests in flight (at most SHUTDOWN_DRAIN_MS), flushes the access log, then the departments
 * and stores close. A second signal exits at once.
 */
import { startPlatform } from '../gateway/platform.ts';
import { departmentUrlVariables } from '../lib/process-roles.ts';
import { config } from './cli.ts';
import { closeOnSignals } from './shutdown.ts';

// Said rather than silently ignored: the gateway here calls the departments it runs itself.
const ignored = departmentUrlVariables().filter((name) => process.env[name]?.trim());
if (ignored.length > 0) {
  console.log(
    `npm start runs every department itself and ignores ${ignored.join(', ')}; npm run gateway calls departments there`,
  );
}
const platform = await startPlatform(config(), { log: (line) => console.log(line) });
closeOnSignals(() => platform.close());
