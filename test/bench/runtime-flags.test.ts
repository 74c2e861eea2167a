/**
 * The benchmark runs every gateway with the Node flags `npm start` runs the platform with: a
 * flag added to one and not the other would make the report measure something not deployed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS } from '../../bench/session.ts';

const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { scripts: Record<string, string> };

describe("the gateways' Node flags", () => {
  it('are the ones `npm start` runs node with', () => {
    const start = packageJson.scripts.start!.split(/\s+/);
    expect(start[0]).toBe('node');
    const flags = start.slice(1, start.indexOf('--import'));
    expect(flags).toEqual(GATEWAY_NODE_FLAGS);
  });

  it('are accepted by this Node, without a warning', () => {
    const run = spawnSync(process.execPath, [...GATEWAY_NODE_FLAGS, '-e', '0'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
