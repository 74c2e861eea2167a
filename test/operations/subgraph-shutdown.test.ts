/**
 * `npm run subgraph -- <name>`, a department on its own as deployed, stops on SIGTERM by itself:
 * it closes its server and database and exits with status 0, not killed by the signal (Apollo
 * Server's own signal handlers, installed outside tests, once stopped it first and raised the
 * signal again).
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { envVarPrefix } from '../../lib/config.ts';
import { TEST_HOUSEHOLDS, TEST_SEED, testStorage } from '../helpers/platform.ts';

describe('a department alone (npm run subgraph)', () => {
  const storage = testStorage();
  afterAll(() => storage.cleanup());

  it('exits with status 0 on SIGTERM', async () => {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'development',
      DATA_DIR: storage.dataDir,
      SEED: String(TEST_SEED),
      SEED_HOUSEHOLDS: String(TEST_HOUSEHOLDS),
      [`${envVarPrefix('household')}_PORT`]: '0',
    };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/subgraph.ts', 'household'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line:\n${out}`)), 60_000);
      child.stdout!.on('data', () => {
        const ready = /household ready: (\S+)/.exec(out)?.[1];
        if (ready) {
          clearTimeout(timer);
          resolve(ready);
        }
      });
      void exited.then(() => reject(new Error(`the department exited before starting:\n${out}`)));
    });
    // Serving: it answers its health check before the signal, and nothing after.
    expect((await fetch(new URL('/healthz', url))).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    await expect(fetch(new URL('/healthz', url))).rejects.toThrow();
  }, 90_000);
});
