import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnChild, type Child } from '../../bench/children.ts';
import type { ReplayReady, ReplayStats } from '../../bench/replay-main.ts';

/** A stand-in department that answers each call with its own call number. */
function countingDepartment() {
  let calls = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { call: calls } }));
    });
  });
  return { server, calls: () => calls };
}

const context = (rpt?: string) =>
  `e30.${Buffer.from(JSON.stringify(rpt ? { rpt } : {})).toString('base64url')}.sig`;

describe('the benchmark replay (--departments replay)', () => {
  const department = countingDepartment();
  let replay: Child<ReplayReady>;
  let url: string;

  const call = async (body: unknown) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return ((await response.json()) as { data: { call: number } }).data.call;
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => department.server.listen(0, '127.0.0.1', resolve));
    const port = (department.server.address() as AddressInfo).port;
    replay = await spawnChild<ReplayReady>('replay', './replay-main.ts', {
      urls: { medical: `http://127.0.0.1:${port}/graphql` },
    });
    url = replay.ready.urls.medical!;
  });
  afterAll(async () => {
    await replay?.stop();
    department.server.close();
  });

  it('answers a call it has seen with the department answer, whatever the access context', async () => {
    const query = 'query Q($id: ID!) { person(id: $id) { id } }';
    const first = await call({
      query,
      variables: { id: '1' },
      extensions: { accessContext: context('grouped') },
    });
    const again = await call({
      query,
      variables: { id: '1' },
      extensions: { accessContext: context('grouped') },
    });
    expect(again).toBe(first);
    // Other variables, or another report format, are other answers.
    expect(
      await call({
        query,
        variables: { id: '2' },
        extensions: { accessContext: context('grouped') },
      }),
    ).not.toBe(first);
    expect(
      await call({ query, variables: { id: '1' }, extensions: { accessContext: context() } }),
    ).not.toBe(first);
    expect(department.calls()).toBe(3);
  });

  it("answers every write with the first write's answer, and counts hits and misses", async () => {
    const query = 'mutation W($input: In!) { write(input: $input) { id } }';
    const first = await call({ query, variables: { input: { key: 'a' } } });
    expect(await call({ query, variables: { input: { key: 'b' } } })).toBe(first);
    const stats = (await (await fetch(url)).json()) as ReplayStats;
    expect(stats).toEqual({ hits: 2, misses: 4 });
  });
});
