/**
 * The gateway alone (`npm run gateway`, the image's `gateway` command): it runs no department,
 * calls each at its SUBGRAPH_<NAME>_URL, and /readyz probes them there, so a department that
 * does not answer at its URL makes the gateway not ready, named. Every missing URL is named in
 * one message before anything starts; so are a production department's missing keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { ensureDevKeys } from '../../lib/identity/dev-keys.ts';
import { subgraphVerificationKeys } from '../../lib/identity/resolve.ts';
import { departmentUrlVariables, roleProblems } from '../../lib/process-roles.ts';
import { launchDepartments, type LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';
import { TEST_HOUSEHOLDS, TEST_SEED, testStorage } from '../helpers/platform.ts';
import { deadUrl, runRole, startRole, stopRole, type RoleProcess } from './image-entrypoint.ts';
import { startCommand } from './helpers.ts';

describe('the gateway alone', () => {
  const storage = testStorage();
  let household: LaunchedDepartments;
  let gateway: RoleProcess<string> | undefined;
  const development = {
    NODE_ENV: 'development',
    DATA_DIR: storage.dataDir,
    SEED: String(TEST_SEED),
    SEED_HOUSEHOLDS: String(TEST_HOUSEHOLDS),
  };

  beforeAll(async () => {
    await ensureDevKeys(storage.dataDir);
    household = await launchDepartments({
      names: ['household'],
      dataDir: storage.dataDir,
      host: '127.0.0.1',
      seed: TEST_SEED,
      households: TEST_HOUSEHOLDS,
      accessKeys: await subgraphVerificationKeys(loadConfig({ DATA_DIR: storage.dataDir })),
    });
  });
  afterAll(async () => {
    await stopRole(gateway);
    await household?.close();
    await storage.cleanup();
  });

  it('reports not ready, naming them, while departments do not answer at their URLs', async () => {
    const nowhere = await deadUrl();
    const urls = Object.fromEntries(departmentUrlVariables().map((name) => [name, nowhere]));
    urls.SUBGRAPH_HOUSEHOLD_URL = household.urls.household!;
    gateway = await startRole(
      ['gateway'],
      { ...development, PORT: '0', ...urls },
      (out) => /Gateway ready: (\S+)/.exec(out)?.[1],
    );
    expect(gateway.output()).not.toMatch(/seeding|seeded/);
    const response = await fetch(new URL('/readyz', gateway.ready));
    const report = await response.json();
    expect(response.status).toBe(503);
    expect(report.checks.subgraphs).toEqual({
      household: 'reachable',
      housing: 'unreachable',
      medical: 'unreachable',
      employment: 'unreachable',
      disaster: 'unreachable',
      assistance: 'unreachable',
    });
    for (const name of ['housing', 'medical', 'employment', 'disaster', 'assistance'])
      expect(report.problems).toContain(`subgraph ${name} unreachable`);
    expect(report.problems).not.toContain('subgraph household unreachable');
  });

  it('refuses to start without every department URL, naming each, with other problems', async () => {
    const { code, output } = await runRole(['gateway'], {
      ...development,
      SUBGRAPH_HOUSEHOLD_URL: 'http://127.0.0.1:4001/graphql',
      // A bad value is reported with the missing ones in one pass, and never echoed.
      SUBGRAPH_MEDICAL_URL: 'ftp://officer:s3cret@medical/graphql',
    });
    expect(code).toBe(2);
    expect(output).toContain('SUBGRAPH_MEDICAL_URL must be a URL starting with http: or https:');
    for (const name of ['HOUSING', 'EMPLOYMENT', 'DISASTER', 'ASSISTANCE'])
      expect(output).toContain(`SUBGRAPH_${name}_URL is required`);
    expect(output).not.toContain('SUBGRAPH_HOUSEHOLD_URL');
    expect(output).not.toContain('s3cret');
    expect(output).not.toContain('Gateway ready');
  });

  it("refuses a production department without the gateway's public keys", async () => {
    const { code, output } = await runRole(['subgraph', 'household'], {
      NODE_ENV: 'production',
      DATA_DIR: storage.dataDir,
      IDP_JWKS: 'https://idp.example/jwks.json',
      IDP_ISSUER: 'https://idp.example',
      IDP_AUDIENCE: 'gd-assistance-gateway',
      CONSENT_JWKS: 'https://consent.example/jwks.json',
      CONSENT_ISSUER: 'https://consent.example',
      // The gateway's private key is the gateway's: it does not let a department verify.
      GATEWAY_SIGNING_KEY: '/run/secrets/gateway_signing_key',
    });
    expect(code).toBe(2);
    expect(output).toContain('GATEWAY_JWKS is required for the household department in production');
    expect(output).not.toContain('household ready');
  });

  it('names what each role lacks, and nothing when it lacks nothing', () => {
    const everyUrl = Object.fromEntries(
      departmentUrlVariables().map((n) => [n, 'http://d/graphql']),
    );
    expect(roleProblems({ kind: 'gateway' }, everyUrl)).toEqual([]);
    expect(roleProblems({ kind: 'gateway' }, { ...everyUrl, NODE_ENV: 'production' })).toEqual([
      'GATEWAY_SIGNING_KEY is required for the gateway in production',
    ]);
    expect(roleProblems({ kind: 'gateway' }, { SUBGRAPH_HOUSING_URL: ' ' })).toHaveLength(6);
    // Named without the value: it holds a password.
    expect(
      roleProblems(
        { kind: 'gateway' },
        { ...everyUrl, SUBGRAPH_MEDICAL_URL: 'https://gw:s3cret@medical.internal/graphql' },
      ),
    ).toEqual(['SUBGRAPH_MEDICAL_URL must not carry a user name or password']);
    expect(roleProblems({ kind: 'department', name: 'medical' }, {})).toEqual([]);
    expect(
      roleProblems(
        { kind: 'department', name: 'medical' },
        { NODE_ENV: 'production', GATEWAY_JWKS: 'x' },
      ),
    ).toEqual([]);
  });

  it('npm start says it ignores department URLs: it runs every department itself', async () => {
    const started = await startCommand(
      'bin/start.ts',
      [],
      storage,
      { SUBGRAPH_MEDICAL_URL: 'http://medical.internal:4003/graphql' },
      (out) => (out.includes('Starting departments') ? out : undefined),
    );
    started.child.kill('SIGKILL');
    await started.exited;
    expect(started.ready).toContain(
      'npm start runs every department itself and ignores SUBGRAPH_MEDICAL_URL',
    );
  });
});
