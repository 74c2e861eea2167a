/**
 * The gateway alone runs with the runtime settings its memory was measured with
 * (docs/operations.md, Memory): Node's default young generation (not `npm start`'s 3 × 32 MiB)
 * and glibc's malloc held to two arenas unless the operator sets MALLOC_ARENA_MAX. Checked on the
 * process the image's entrypoint starts, and `npm run gateway` held to the same command line.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDevKeys } from '../../lib/identity/dev-keys.ts';
import { departmentUrlVariables } from '../../lib/process-roles.ts';
import { testStorage } from '../helpers/platform.ts';
import {
  PROJECT_ROOT,
  deadUrl,
  startRole,
  stopRole,
  type RoleProcess,
} from './image-entrypoint.ts';

const procList = (pid: number, file: string) =>
  readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0').filter(Boolean);

describe.skipIf(!existsSync('/proc/self/environ'))("the gateway alone's runtime", () => {
  const storage = testStorage();
  const roles: RoleProcess<string>[] = [];
  afterAll(async () => {
    await Promise.all(roles.map((role) => stopRole(role)));
    await storage.cleanup();
  });

  async function startGateway(env: Record<string, string>): Promise<RoleProcess<string>> {
    await ensureDevKeys(storage.dataDir);
    const nowhere = await deadUrl();
    const urls = Object.fromEntries(departmentUrlVariables().map((name) => [name, nowhere]));
    const role = await startRole(
      ['gateway'],
      { NODE_ENV: 'development', DATA_DIR: storage.dataDir, PORT: '0', ...urls, ...env },
      (out) => /Gateway ready: (\S+)/.exec(out)?.[1],
    );
    roles.push(role);
    return role;
  }

  it("runs Node with its default young generation and two malloc arenas, or the operator's number", async () => {
    const gateway = await startGateway({});
    const pid = gateway.child.pid!;
    const argv = procList(pid, 'cmdline');
    expect(argv.at(-1)).toBe('bin/gateway.ts');
    expect(argv.filter((arg) => arg.includes('semi-space'))).toEqual([]);
    expect(procList(pid, 'environ')).toContain('MALLOC_ARENA_MAX=2');

    const tuned = await startGateway({ MALLOC_ARENA_MAX: '4' });
    expect(procList(tuned.child.pid!, 'environ')).toContain('MALLOC_ARENA_MAX=4');
  }, 120_000);

  it('is the command line `npm run gateway` runs', () => {
    const scripts = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'))
      .scripts as Record<string, string>;
    const serve = readFileSync(path.join(PROJECT_ROOT, 'bin/serve.sh'), 'utf8');
    const line = /^\s*gateway\) (.*) ;;$/m.exec(serve)?.[1];
    // The same words once the shell's quoting, `exec` and the passed-on arguments are set aside.
    const words = (command: string) =>
      command
        .replace(/"/g, '')
        .replace(/\bexec /, '')
        .replace(/ \$@$/, '');
    expect(line).toBeDefined();
    expect(words(line!)).toBe(words(scripts.gateway!));
    expect(scripts.gateway).toBe(
      'MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} node --import tsx bin/gateway.ts',
    );
  });
});
