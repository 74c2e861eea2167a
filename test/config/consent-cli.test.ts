/**
 * `npm run consent` issues development consents no longer than their purpose allows (catalogue
 * `maxConsentDays`), so a newcomer never holds a letter the gateway would refuse.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gd-consent-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const consent = (purpose: string, ttl: string) =>
  spawnSync(
    'npx',
    [
      'tsx',
      'bin/consent.ts',
      '--household',
      '110105000000001',
      '--grantee',
      'civil-affairs',
      '--purpose',
      purpose,
      '--ttl',
      ttl,
      '--subject',
      '11010519491231002X',
    ],
    { env: { ...process.env, NODE_ENV: 'development', DATA_DIR: dir }, encoding: 'utf8' },
  );

describe('npm run consent', () => {
  it("refuses a lifetime over the purpose's maximum, naming it", () => {
    const run = consent('temporary-assistance', '91d');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('at most 90 days');
  });

  it('issues one of exactly the maximum', () => {
    const run = consent('temporary-assistance', '90d');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('.')).toHaveLength(3);
  });

  it('refuses a purpose used without consent', () => {
    const run = consent('disaster-relief', '1d');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('used without consent');
  });
});
