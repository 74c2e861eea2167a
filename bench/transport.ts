/**
 * `npx tsx bench/transport.ts`: what one subgraph call costs the caller's CPU with each HTTP
 * client a gateway could use: Node's fetch (what ours and the floor use), fetch with
 * AbortSignal.timeout (ours' timed fetcher), make-fetch-happen (the gateway's default fetcher,
 * vanilla) and node:http on a keep-alive Agent. The server is a child process answering a
 * subgraph-sized JSON body, so only the client's CPU is counted. Bounded: a fixed number of calls.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';

type FetchLike = (url: string, init: object) => Promise<{ json(): Promise<unknown> }>;
// @apollo/gateway's own default fetcher (untyped, so loaded through require).
const fetchHappen = createRequire(import.meta.url)('make-fetch-happen') as {
  defaults(options: object): FetchLike;
};

const CALLS = 4000;
const IN_FLIGHT = 16;
const REQUEST = JSON.stringify({
  query: 'q'.repeat(200),
  variables: {},
  extensions: { accessContext: 'a'.repeat(1100) },
});

const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ data: { _entities: Array.from({ length: 4 }, (_, i) => ({ id: 'p' + i, medicalInsurance: { scheme: 'URBAN_EMPLOYEE', status: 'ACTIVE' }, medicalExpenses: { total: 1234.5, reimbursed: 900, outOfPocket: 334.5 } })) } });
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }); });
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));`;

type Call = (url: string) => Promise<unknown>;

const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
const viaHttp: Call = (url) =>
  new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(REQUEST),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(REQUEST);
  });
const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: REQUEST };
const happen = fetchHappen.defaults({ maxSockets: Infinity, retry: false });
const CLIENTS: Record<string, Call> = {
  'fetch (Node 20, undici)': async (url) => (await fetch(url, init)).json(),
  'fetch + AbortSignal.timeout': async (url) =>
    (await fetch(url, { ...init, signal: AbortSignal.timeout(5000) })).json(),
  'make-fetch-happen (gateway default)': async (url) => (await happen(url, init)).json(),
  'node:http, keep-alive Agent': viaHttp,
};

async function run(call: Call, url: string): Promise<number> {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < CALLS) {
        next += 1;
        await call(url);
      }
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / CALLS;
}

const server = spawn(process.execPath, ['-e', SERVER], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const port = await new Promise<number>((resolve) =>
  server.once('message', (m) => resolve(Number(m))),
);
const url = `http://127.0.0.1:${port}/graphql`;
try {
  const results: Record<string, number[]> = {};
  for (let round = 0; round < 3; round += 1) {
    for (const [name, call] of Object.entries(CLIENTS)) {
      (results[name] ??= []).push(await run(call, url));
    }
  }
  console.log('| client | CPU ms per call (median of 3 rounds; round 1 includes warm-up) |');
  console.log('| --- | ---: |');
  for (const [name, list] of Object.entries(results)) {
    const median = [...list].sort((a, b) => a - b)[1]!;
    console.log(`| ${name} | ${median.toFixed(3)} |`);
  }
} finally {
  server.kill();
  agent.destroy();
}
