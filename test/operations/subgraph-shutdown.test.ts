/**
 * `npm run subgraph -- <name>`, a department on its own as deployed, stops on SIGTERM by itself:
 * it closes its server and database and exits with status 0, not killed by the signal (Apollo
 * Server's own signal handlers, installed outside tests, once stopped it first and raised the
 * signal again).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { envVarPrefix } from '../../lib/config.ts';
import { testStorage } from '../helpers/platform.ts';
import { startCommand } from './helpers.ts';

describe('a department alone (npm run subgraph)', () => {
  const storage = testStorage();
  afterAll(() => storage.cleanup());

  it('exits with status 0 on SIGTERM', async () => {
    const {
      child,
      ready: url,
      exited,
    } = await startCommand(
      'bin/subgraph.ts',
      ['household'],
      storage,
      { [`${envVarPrefix('household')}_PORT`]: '0' },
      (out) => /household ready: (\S+)/.exec(out)?.[1],
    );
    // Serving: it answers its health check before the signal, and nothing after.
    expect((await fetch(new URL('/healthz', url))).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    await expect(fetch(new URL('/healthz', url))).rejects.toThrow();
  }, 90_000);
});
