/**
 * `npm start`: the whole platform in one process for development: the six departments on
 * 4001-4006 (seeded on first start), and the gateway with the explorer on 4000.
 */
import { startPlatform } from '../gateway/platform.ts';
import { config } from './cli.ts';

const platform = await startPlatform(config(), { log: (line) => console.log(line) });
const stop = async () => {
  await platform.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
