/**
 * Graceful shutdown, for real: `npm start`'s entry point runs in a child process, takes a steady
 * load of reads (and writes, where the assistance department has them), and gets SIGTERM in the
 * middle. It must exit by itself with status 0; every request that got an answer must have its
 * access record; every write it confirmed must be stored.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../lib/db.ts';
import { SUBGRAPHS } from '../../schema/catalogue.ts';
import { readSupergraph } from '../../schema/compose.ts';
import { envVarPrefix } from '../../lib/config.ts';
import { consentFor } from '../helpers/callers.ts';
import { testStorage, type TestStorage } from '../helpers/platform.ts';
import { callerHeaders, postJson, startCommand } from './helpers.ts';

const READ = `query Read($id: ID!) { household(id: $id) { id members { name birthDate } } }`;
const WRITE = `mutation Feedback($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id } }`;
const hasWrites = readSupergraph().includes('recordFeedback(');

interface Started {
  child: ChildProcess;
  url: string;
  household: string;
  members: string[];
  exited: Promise<number | null>;
}

async function startChild(storage: TestStorage): Promise<Started> {
  const ports: Record<string, string> = { PORT: '0', SHUTDOWN_DRAIN_MS: '10000' };
  for (const s of SUBGRAPHS) ports[`${envVarPrefix(s.name)}_PORT`] = '0';
  // As `npm start` runs it (startCommand: not 'test'): Apollo Server's own signal handlers,
  // installed outside tests, once cut the drain short and exited with status 1.
  const started = await startCommand('bin/start.ts', [], storage, ports, (out) => {
    const url = /Gateway ready: (\S+)/.exec(out)?.[1];
    const sample = /Sample household (\d+), members ([\dX, ]+) \(/.exec(out);
    return url && sample
      ? { url, household: sample[1]!, members: sample[2]!.split(', ') }
      : undefined;
  });
  return {
    child: started.child,
    ...started.ready,
    exited: started.exited.then((e) => e.code),
  };
}

describe('graceful shutdown under load', () => {
  let storage: TestStorage;
  let started: Started;

  beforeAll(async () => {
    storage = testStorage();
    started = await startChild(storage);
  });
  afterAll(async () => {
    if (started?.child.exitCode === null) started.child.kill('SIGKILL');
    await storage?.cleanup();
  });

  it('drains in-flight requests on SIGTERM: no answered request without its record, no confirmed write lost', async () => {
    const { url, household, members } = started;
    const consent = await consentFor(storage.dataDir, {
      household,
      subjects: members,
      grantees: ['civil-affairs'],
      purpose: 'dibao',
    });
    const reader = await callerHeaders(storage.dataDir, 'civil-affairs', {
      'x-purpose': 'dibao',
      'x-consent-token': consent,
    });
    const writer = await callerHeaders(storage.dataDir, 'housing', {
      'x-purpose': 'housing-assistance',
    });
    const answered: string[] = [];
    const sentBeforeSignal: string[] = [];
    const confirmedWrites: string[] = [];
    let sent = 0;
    let refusedConnections = 0;
    let signalled = false;
    const worker = async (w: number) => {
      for (let i = 0; i < 400 && refusedConnections < 20; i++) {
        const requestId = `shutdown-${w}-${i}`;
        const write = hasWrites && i % 3 === 0;
        const body = write
          ? {
              query: WRITE,
              variables: {
                input: {
                  idempotencyKey: `key-${requestId}`,
                  household,
                  action: 'RENT_SUBSIDY_GRANTED',
                  amount: 300,
                  effectiveOn: '2026-07-01',
                },
              },
            }
          : { query: READ, variables: { id: household } };
        sent += 1;
        if (sent === 40 && !signalled) {
          signalled = true;
          started.child.kill('SIGTERM');
        }
        // Sent before the signal: in flight or already answered, never dropped. (Later ones may
        // find the gateway no longer listening.)
        if (!signalled) sentBeforeSignal.push(requestId);
        try {
          const response = await postJson(url, body, {
            ...(write ? writer : reader),
            'x-request-id': requestId,
          });
          answered.push(requestId);
          const id = response.body?.data?.recordFeedback?.id;
          if (id) confirmedWrites.push(id);
        } catch {
          refusedConnections += 1; // not accepted: the gateway had stopped listening
        }
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map(worker));
    expect(await started.exited).toBe(0);
    expect(sentBeforeSignal).toHaveLength(39);
    for (const requestId of sentBeforeSignal) expect(answered).toContain(requestId);
    if (hasWrites) expect(confirmedWrites.length).toBeGreaterThan(0);

    const audit = await openDatabase<any>({
      name: 'platform',
      dataDir: storage.dataDir,
      databaseUrl: undefined,
    });
    try {
      const rows = await audit.db.selectFrom('access_log').select('record').execute();
      const recorded = new Set(rows.map((r: { record: string }) => JSON.parse(r.record).requestId));
      for (const requestId of answered) expect(recorded).toContain(requestId);
    } finally {
      await audit.close();
    }
    if (hasWrites) {
      const assistance = await openDatabase<any>({
        name: 'assistance',
        dataDir: storage.dataDir,
        databaseUrl: undefined,
      });
      try {
        const rows = await assistance.db.selectFrom('feedback').select('id').execute();
        const stored = new Set(rows.map((r: { id: string }) => r.id));
        for (const id of confirmedWrites) expect(stored).toContain(id);
      } finally {
        await assistance.close();
      }
    }
  });
});
