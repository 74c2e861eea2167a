/**
 * `--departments replay`: one process that stands in front of the real departments and answers
 * each department call with the answer the department gave to the same call before. It makes the
 * departments almost free, so the gateway process is the bound and requests/s compares gateways,
 * as on a deployment where the departments run on their own machines; on this 2-core box, the
 * real departments' CPU (every gateway pays it) otherwise decides requests/s.
 *
 * A call's key is its department, operation text, variables (not for mutations: every write of
 * the benchmark gets the answer of its first) and the access report format its signed context
 * asks for (ours and the floor ask for grouped reports, a stock gateway does not). A call never
 * seen goes to the real department and is kept; the harness sends every request a workload can
 * make through every gateway before measuring, so measured windows should have no misses (the
 * report shows them). GET on any of its ports returns the hit and miss counts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonPostClient } from '../lib/http-client.ts';
import { childConfig, runChild, sendToParent, stopWhenAsked } from './child.ts';

export interface ReplayConfig {
  /** Department name → the real department's URL. */
  urls: Record<string, string>;
}

export interface ReplayReady {
  /** Department name → the replay's URL for it. */
  urls: Record<string, string>;
}

export interface ReplayStats {
  hits: number;
  misses: number;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** The report format an access context asks for (read, not verified: this is the harness). */
function reportFormat(token: unknown): string {
  if (typeof token !== 'string') return '';
  const payload = token.split('.')[1] ?? '';
  try {
    return String(JSON.parse(Buffer.from(payload, 'base64url').toString()).rpt ?? '');
  } catch {
    return '';
  }
}

function keyOf(name: string, raw: string): string {
  const body = JSON.parse(raw) as {
    query?: string;
    variables?: unknown;
    extensions?: { accessContext?: unknown };
  };
  const query = body.query ?? '';
  const variables = /^\s*mutation\b/.test(query) ? '' : JSON.stringify(body.variables ?? null);
  return [name, query, variables, reportFormat(body.extensions?.accessContext)].join('\u0000');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

runChild(async () => {
  const config = childConfig<ReplayConfig>();
  const answers = new Map<string, Promise<Answer>>();
  const stats: ReplayStats = { hits: 0, misses: 0 };
  const servers: http.Server[] = [];
  const urls: Record<string, string> = {};

  for (const [name, url] of Object.entries(config.urls)) {
    const department = new JsonPostClient(url, { timeoutMs: 60_000 });
    const server = http.createServer((req, res) => {
      if (req.method !== 'POST') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
        return;
      }
      void readBody(req)
        .then(async (raw) => {
          const key = keyOf(name, raw);
          let answer = answers.get(key);
          if (answer) stats.hits += 1;
          else {
            stats.misses += 1;
            answer = department.post(raw);
            answers.set(key, answer);
            // A failed call is not an answer to keep.
            answer.catch(() => answers.delete(key));
          }
          const { status, contentType, body } = await answer;
          res.writeHead(status, { 'content-type': contentType }).end(body);
        })
        .catch((error: unknown) => {
          res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
        });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }

  stopWhenAsked(async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });
  sendToParent({ ready: { urls } satisfies ReplayReady });
});
