/** Production refuses development identity: missing key sources, dev keys, and the dev commands. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config.ts';
import { devKeyFiles, ensureDevKeys } from '../../lib/identity/dev-keys.ts';
import { keySet, signingKey } from '../../lib/identity/key-sources.ts';
import { memoryStoreWarning } from '../../gateway/revocations/shared-state.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gd-prod-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('production configuration', () => {
  it('requires every key source, listing all that are missing at once', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    for (const name of [
      'IDP_JWKS',
      'IDP_ISSUER',
      'IDP_AUDIENCE',
      'CONSENT_JWKS',
      'CONSENT_ISSUER',
      'GATEWAY_SIGNING_KEY',
    ]) {
      expect(text).toContain(name);
    }
  });

  describe('the shared store', () => {
    const keys = {
      NODE_ENV: 'production',
      IDP_JWKS: 'idp.json',
      IDP_ISSUER: 'https://idp',
      IDP_AUDIENCE: 'gateway',
      CONSENT_JWKS: 'consent.json',
      CONSENT_ISSUER: 'https://consent',
      GATEWAY_SIGNING_KEY: 'gateway.jwk',
    };
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };

    it('requires REDIS_URL: replicas share revocations and rate limits through it', () => {
      const problems = problemsOf(keys);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^REDIS_URL is required in production/);
      expect(problems[0]).toContain('ALLOW_MEMORY_STORE=single-replica');
      expect(problemsOf({ ...keys, REDIS_URL: 'redis://redis:6379' })).toEqual([]);
    });

    it('runs one replica on the memory store only when told so in exactly those words', () => {
      expect(problemsOf({ ...keys, ALLOW_MEMORY_STORE: 'single-replica' })).toEqual([]);
      // …and says so at every start.
      const optedOut = loadConfig({ ...keys, ALLOW_MEMORY_STORE: 'single-replica' });
      expect(memoryStoreWarning(optedOut)).toMatch(/run exactly one gateway replica/);
      expect(memoryStoreWarning({ ...optedOut, redisUrl: 'redis://redis:6379' })).toBeUndefined();
      expect(memoryStoreWarning(loadConfig({}))).toBeUndefined();
      expect(problemsOf({ ...keys, ALLOW_MEMORY_STORE: 'true' })).toEqual([
        'ALLOW_MEMORY_STORE may only be "single-replica"',
      ]);
      // Development needs neither.
      expect(problemsOf({})).toEqual([]);
    });
  });

  it('reports bad values without echoing secrets', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://user:hunter2@db/x',
        SEED_HOUSEHOLDS: '0',
      });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('refuses development keys', async () => {
    await ensureDevKeys(dir);
    await expect(
      keySet(devKeyFiles(dir, 'idp').publicJwks, { refuseDevKeys: true }),
    ).rejects.toThrow(/development keys/);
    await expect(
      signingKey(devKeyFiles(dir, 'gateway').privateJwk, { refuseDevKeys: true }),
    ).rejects.toThrow(/development key/);
  });

  it('refuses to print development tokens', () => {
    for (const args of [
      ['bin/token.ts', 'housing'],
      [
        'bin/consent.ts',
        '--household',
        '440103004693311',
        '--grantee',
        'housing',
        '--purpose',
        'housing-assistance',
      ],
    ]) {
      const run = spawnSync('npx', ['tsx', ...args], {
        env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dir },
        encoding: 'utf8',
      });
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('refuses to run with NODE_ENV=production');
    }
  });
});
