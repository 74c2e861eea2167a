/**
 * `npm start`: the whole platform in one process for development: the six departments on
 * 4001-4006 (seeded on first start), and the gateway with the explorer on 4000.
 *
 * SIGTERM or SIGINT shuts down gracefully: the gateway stops accepting connections, finishes the
 * requests in flight (at most SHUTDOWN_DRAIN_MS), flushes the access log, then the departments
 * and stores close. A second signal exits at once.
 */
import { startPlatform } from '../gateway/platform.ts';
import { config } from './cli.ts';

const platform = await startPlatform(config(), { log: (line) => console.log(line) });
let stopping = false;
const stop = (signal: string) => {
  if (stopping) {
    console.error(`${signal} again: exiting without waiting`);
    process.exit(1);
  }
  stopping = true;
  console.log(`${signal}: draining requests in flight, then closing`);
  platform.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('shutdown failed:', (error as Error)?.message);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
