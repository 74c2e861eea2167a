/**
 * `npm run demo` (the README's walk-through) against a running platform: the whole story ends with
 * the auditor's intact chain, and a URL that is not the gateway's GraphQL endpoint is said to be
 * so, instead of reading as empty answers and a broken log.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';

const run = promisify(execFile);

describe('npm run demo', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // No prefix: the demo reads the data folder as `npm start` leaves it.
    storage = { ...testStorage(), databasePrefix: '' };
    platform = await startTestPlatform(storage);
    env = { ...process.env, NODE_ENV: 'test', DATA_DIR: storage.dataDir };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  const demo = (url: string) =>
    run(process.execPath, ['--import', 'tsx', 'bin/demo.ts', '--url', url], { env });

  it('tells the whole story and ends with the auditor verifying the chain', async () => {
    const { stdout } = await demo(platform.gateway.url);
    expect(stdout).toMatch(/recorded det-\d+: DIBAO APPROVED/);
    expect(stdout).toMatch(/housing sees: det-\d+ DIBAO APPROVED/);
    // The citizen's view, read through the subject index, with each access's categories.
    expect(stdout).toMatch(
      /- \S+ {2}Civil affairs \(民政\) · .* · [a-z, -]*identity[a-z, -]* · case MZ-/,
    );
    expect(stdout).toMatch(/intact: \d+ records, hash chain verified/);
  }, 60_000);

  it('says when the URL is not the GraphQL endpoint, and exits with an error', async () => {
    const wrong = new URL('/', platform.gateway.url).toString();
    const failed = await demo(wrong).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain(`${wrong} did not answer as the gateway's GraphQL endpoint`);
    expect(failed?.stdout).not.toContain('BROKEN');
    expect(failed?.stdout).not.toContain('undefined');
  }, 60_000);
});
