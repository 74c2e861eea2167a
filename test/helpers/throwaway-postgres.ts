/**
 * A PostgreSQL cluster of the test's own (initdb into a temp folder, pg_ctl on a free port), for
 * tests that stop or restart the server: the machine's shared server is never touched. Needs the
 * PostgreSQL binaries (PG_BIN, or PATH, or /usr/lib/postgresql/<version>/bin); without them the
 * caller's suite is skipped with a printed reason, and REQUIRE_SERVICES=1 makes that a failure.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to, and runs as, the
 * `postgres` user.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** `pg_ctl restart -m fast`: every backend ends with 57P01, the server comes back. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server (immediate mode) and removes the cluster's folder. */
  remove(): Promise<void>;
}

function binDir(): string | undefined {
  const candidates = [process.env.PG_BIN, ...(process.env.PATH ?? '').split(path.delimiter)];
  const versions = '/usr/lib/postgresql';
  if (existsSync(versions)) {
    const newest = readdirSync(versions).sort((a, b) => Number(b) - Number(a));
    candidates.push(...newest.map((v) => path.join(versions, v, 'bin')));
  }
  return candidates.find(
    (dir) => dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')),
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Why a throwaway cluster cannot be had here, or undefined when it can. */
export function throwawayPostgresUnavailable(): string | undefined {
  if (!binDir()) return 'the PostgreSQL binaries (initdb, pg_ctl) are not installed';
  if (process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser'))
    return 'running as root without runuser to run PostgreSQL as the postgres user';
  return undefined;
}

/**
 * Whether the suite can run: prints why it is skipped, or throws under REQUIRE_SERVICES=1.
 * Call at module level, like test/helpers/services.ts.
 */
export function throwawayPostgresAvailable(): boolean {
  const reason = throwawayPostgresUnavailable();
  if (!reason) return true;
  if (process.env.REQUIRE_SERVICES === '1')
    throw new Error(`${reason}, and REQUIRE_SERVICES=1 requires a throwaway PostgreSQL cluster`);
  console.warn(`SKIPPED: ${reason}; the tests that restart PostgreSQL are skipped`);
  return false;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir();
  if (!bin) throw new Error(throwawayPostgresUnavailable());
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gd-pg-'));
  const data = path.join(dir, 'data');
  if (root) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    root
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args])
      : run(path.join(bin, tool), args);
  const port = await freePort();
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]) => pg('pg_ctl', ['-D', data, '-w', '-t', '30', ...args]);
  const start = async () => {
    await ctl('start', '-l', path.join(dir, 'server.log'), '-o', serverOptions);
  };
  try {
    // No fsync: the cluster is thrown away, and the machine's disk is shared with other tests.
    await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: async () => {
      await ctl('restart', '-m', 'fast', '-l', path.join(dir, 'server.log'), '-o', serverOptions);
    },
    stop: async () => {
      await ctl('stop', '-m', 'fast');
    },
    start,
    remove: async () => {
      await ctl('stop', '-m', 'immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
