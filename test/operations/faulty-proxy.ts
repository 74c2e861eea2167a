/**
 * An HTTP proxy in front of one department that the test can make misbehave: pass requests
 * through, answer too late, answer garbage, answer a JSON object that is not a GraphQL response,
 * fail with 500, or drop the connection. It counts the calls that reach it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultMode = 'pass' | 'slow' | 'garbage' | 'not-graphql' | 'http-500' | 'drop';

export class FaultyProxy {
  mode: FaultMode = 'pass';
  calls = 0;
  private server: http.Server | undefined;
  url = '';

  constructor(
    private readonly target: string,
    private readonly slowMs = 2000,
  ) {}

  async open(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.answer(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) {
    this.calls += 1;
    const mode = this.mode;
    if (mode === 'drop') return res.socket?.destroy();
    if (mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html><body>502 Bad Gateway</body></html>');
    }
    if (mode === 'not-graphql') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ data: { _entities: 'nope' }, errors: 'none' }));
    }
    if (mode === 'http-500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ message: 'upstream exploded at 10.0.0.7:5432' }));
    }
    if (mode === 'slow') await new Promise((r) => setTimeout(r, this.slowMs));
    try {
      const upstream = await fetch(this.target, {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type'] ?? 'application/json') },
        body: body.toString('utf8'),
      });
      const text = await upstream.text();
      if (res.destroyed) return;
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      });
      res.end(text);
    } catch {
      res.socket?.destroy();
    }
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
