/**
 * A PostgreSQL restart is an outage, not a crash. On a throwaway cluster of the test's own,
 * `npm start` (departments and the gateway, whose access log is on PostgreSQL) and a department
 * run alone (`npm run subgraph`, behind a gateway whose access log is elsewhere) take read load
 * while PostgreSQL is restarted (`pg_ctl restart -m fast`) and then stopped for a while and
 * started again. Neither process may exit; every answer meanwhile is a coded one (503
 * AUDIT_UNAVAILABLE when the access record cannot be written, SUBGRAPH_UNAVAILABLE at the
 * department's fields when only its database is gone), never a dropped connection or an
 * internal error; both serve again by themselves once PostgreSQL is back; no connection is
 * left behind; and the access log's hash chain still verifies.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envVarPrefix, loadConfig } from '../../lib/config.ts';
import { openDatabase } from '../../lib/db.ts';
import { gatewayIdentity } from '../../lib/identity/resolve.ts';
import { defaultOperationsConfig } from '../../lib/operations-config.ts';
import { MemoryStore } from '../../lib/store/memory-store.ts';
import { AuditLog, type AuditTables } from '../../gateway/audit/audit-log.ts';
import { decodeRecord } from '../../gateway/audit/stored-record.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import { readSupergraph } from '../../schema/compose.ts';
import { SUBGRAPHS } from '../../schema/catalogue.ts';
import { consentFor } from '../helpers/callers.ts';
import { testStorage } from '../helpers/platform.ts';
import {
  startThrowawayPostgres,
  throwawayPostgresAvailable,
  type ThrowawayPostgres,
} from '../helpers/throwaway-postgres.ts';
import { callerHeaders, postJson, startCommand, type RunningCommand } from './helpers.ts';
import { READ, classify, readLoad, sleep, untilServed, type ReadLoad } from './read-load.ts';

const HOUSEHOLDS = '40';

const hasPostgres = throwawayPostgresAvailable();

describe.skipIf(!hasPostgres)('a PostgreSQL restart under read load', () => {
  let cluster: ThrowawayPostgres;
  const platformStorage = testStorage();
  const departmentStorage = testStorage();
  let platform: RunningCommand<{ url: string; household: string; members: string[] }>;
  let department: RunningCommand<string>;
  let gateway: RunningGateway;
  /** What npm start writes after its banner, each stream apart (their chunks interleave). */
  const output = { stdout: '', stderr: '' };

  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
    // The lone department gets a database of its own: its schema names are npm start's.
    await query('CREATE DATABASE lone');
    const ports: Record<string, string> = { PORT: '0', SEED_HOUSEHOLDS: HOUSEHOLDS };
    for (const s of SUBGRAPHS) ports[`${envVarPrefix(s.name)}_PORT`] = '0';
    [platform, department] = await Promise.all([
      startCommand(
        'bin/start.ts',
        [],
        platformStorage,
        { ...ports, DATABASE_URL: cluster.url },
        (out) => {
          const url = /Gateway ready: (\S+)/.exec(out)?.[1];
          const sample = /Sample household (\d+), members ([\dX, ]+) \(/.exec(out);
          return url && sample
            ? { url, household: sample[1]!, members: sample[2]!.split(', ') }
            : undefined;
        },
      ),
      startCommand(
        'bin/subgraph.ts',
        ['household'],
        departmentStorage,
        { ...ports, DATABASE_URL: cluster.url.replace(/\/postgres$/, '/lone') },
        (out) => /household ready: (\S+)/.exec(out)?.[1],
      ),
    ]);
    // What it says from now on (the development banner shows sample identity numbers).
    platform.child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
    platform.child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
    // The other departments are not asked for: nothing listens at their URLs.
    const urls = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, 'http://127.0.0.1:9/graphql']));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: departmentStorage.dataDir });
    gateway = await startGateway({
      supergraphSdl: readSupergraph(),
      subgraphUrls: { ...urls, household: department.ready },
      subgraphTimeoutMs: 5000,
      host: '127.0.0.1',
      port: 0,
      identity: await gatewayIdentity(config),
      store: new MemoryStore(),
      audit: null,
      auditLog: null,
      operations: defaultOperationsConfig('test'),
    });
  });

  afterAll(async () => {
    await gateway?.close();
    for (const command of [platform, department])
      if (command?.child.exitCode === null) command.child.kill('SIGKILL');
    await cluster?.remove();
    await platformStorage.cleanup();
    await departmentStorage.cleanup();
  });

  /** One statement on a connection of the test's own (a restart would end a kept one). */
  async function query<R extends pg.QueryResultRow>(text: string): Promise<R[]> {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      return (await client.query<R>(text)).rows;
    } finally {
      await client.end();
    }
  }

  /** The platform's own connections (every pool names itself gd-<database>). */
  const connections = async () =>
    (
      await query<{ state: string }>(
        "SELECT state FROM pg_stat_activity WHERE application_name LIKE 'gd-%'",
      )
    ).map((r) => r.state);

  it('is an outage with coded answers, and both processes serve again by themselves', async () => {
    const { household, members } = platform.ready;
    const consent = (dataDir: string) =>
      consentFor(dataDir, {
        household,
        subjects: members,
        grantees: ['civil-affairs'],
        purpose: 'dibao',
      });
    const headers = async (dataDir: string) =>
      callerHeaders(dataDir, 'civil-affairs', {
        'x-purpose': 'dibao',
        'x-consent-token': await consent(dataDir),
      });
    const platformHeaders = await headers(platformStorage.dataDir);
    const departmentHeaders = await headers(departmentStorage.dataDir);
    const ask = (url: string, h: Record<string, string>) => async () =>
      classify(await postJson(url, { query: READ, variables: { id: household } }, h));
    const loads = [
      readLoad(platform.ready.url, platformHeaders, household, 3),
      readLoad(gateway.url, departmentHeaders, household, 2),
    ];
    const phase = (name: string) => loads.forEach((l) => (l.state.phase = name));
    const [onPlatform, onDepartment] = loads as [ReadLoad, ReadLoad];

    let recovered: number[];
    try {
      // Warm: a few full answers on each before the fault (the machine may be busy).
      for (const deadline = Date.now() + 30_000; loads.some((l) => l.in('before').length < 5);)
        if (Date.now() > deadline) throw new Error('no load got going');
        else await sleep(100);
      phase('restart');
      await cluster.restart();
      await sleep(500);
      phase('outage');
      await cluster.stop();
      await sleep(2000);
      phase('recovering');
      await cluster.start();
      // Neither process exited (each once did, status 1, on the first connection PostgreSQL ended).
      expect({ platform: platform.child.exitCode, department: department.child.exitCode }).toEqual({
        platform: null,
        department: null,
      });
      recovered = await Promise.all([
        untilServed(ask(platform.ready.url, platformHeaders), 20_000),
        untilServed(ask(gateway.url, departmentHeaders), 20_000),
      ]);
      phase('after');
      await sleep(1000);
    } finally {
      await Promise.all(loads.map((l) => l.stop()));
    }

    // Served before; while PostgreSQL was away, nothing but the outage codes; served after.
    for (const load of loads) {
      expect(new Set(load.in('before'))).toEqual(new Set(['ok']));
      expect(new Set(load.in('after'))).toEqual(new Set(['ok']));
    }
    const allowed = new Set(['ok', 'AUDIT_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE']);
    for (const { answer } of [...onPlatform.answers, ...onDepartment.answers])
      expect(allowed).toContain(answer);
    expect(onPlatform.in('outage')).toContain('AUDIT_UNAVAILABLE');
    expect(onDepartment.in('outage')).toContain('SUBGRAPH_UNAVAILABLE');
    expect(Math.max(...recovered)).toBeLessThan(15);
    console.log(
      `served again ${recovered.map((s) => s.toFixed(1)).join(' s and ')} s after PostgreSQL started`,
    );

    // The loss is logged once per pool and outage (two outages here), with its code only.
    const departmentLost = [
      ...output.stderr.matchAll(/database household: connection to PostgreSQL lost \((\w+)\)/g),
    ];
    expect(departmentLost.length).toBeGreaterThanOrEqual(1);
    expect(departmentLost.length).toBeLessThanOrEqual(2);
    const auditLost = [
      ...output.stdout.matchAll(/"code":"(\w+)"\},"msg":"access log database connection lost/g),
    ];
    expect(auditLost.length).toBeGreaterThanOrEqual(1);
    for (const [, code] of [...departmentLost, ...auditLost]) expect(code).toBe('57P01');
    for (const member of members)
      expect(output.stdout.includes(member) || output.stderr.includes(member)).toBe(false);

    // No connection stuck in a transaction or leaked: every pool empties once idle (10 s).
    expect((await connections()).filter((s) => s !== 'idle')).toEqual([]);
    for (const deadline = Date.now() + 15_000; (await connections()).length > 0; await sleep(500))
      if (Date.now() > deadline) throw new Error(`connections left: ${await connections()}`);

    // Every served request has its record, and the chain verifies.
    const database = await openDatabase<AuditTables>({
      name: 'platform',
      dataDir: platformStorage.dataDir,
      databaseUrl: cluster.url,
    });
    try {
      const log = await AuditLog.open(database, () => undefined);
      expect(await log.verify()).toMatchObject({ ok: true });
      const rows = await database.db.selectFrom('access_log').select('record').execute();
      const recorded = new Set(rows.map((r) => decodeRecord(r.record).requestId));
      const served = onPlatform.answers.filter((a) => a.answer === 'ok');
      expect(served.filter((a) => !recorded.has(a.requestId))).toEqual([]);
    } finally {
      await database.close();
    }

    // And both still stop cleanly.
    platform.child.kill('SIGTERM');
    department.child.kill('SIGTERM');
    expect(await platform.exited).toEqual({ code: 0, signal: null });
    expect(await department.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
