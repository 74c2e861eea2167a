/**
 * A lean JSON-over-HTTP POST client for the gateway's calls to departments: node:http on a
 * keep-alive agent, one timer per call for the deadline. Measured at about a sixth of the CPU of
 * Node 20's fetch per call (docs/performance.md): no WHATWG objects, streams or abort signals.
 */
import http from 'node:http';
import https from 'node:https';

export class HttpCallError extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = kind === 'timeout' ? 'TimeoutError' : 'HttpCallError';
  }
}

export interface HttpCallResult {
  status: number;
  contentType: string;
  body: string;
}

export interface PostClientOptions {
  timeoutMs: number;
  /** Sockets kept per department (concurrent calls beyond it queue on the agent). */
  maxSockets?: number;
  /** Largest response accepted, so a broken department cannot exhaust memory. */
  maxResponseBytes?: number;
}

export class JsonPostClient {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;

  constructor(
    url: string,
    private readonly options: PostClientOptions,
  ) {
    this.url = new URL(url);
    const secure = this.url.protocol === 'https:';
    this.request = secure ? https.request : http.request;
    const Agent = secure ? https.Agent : http.Agent;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 64,
      scheduling: 'lifo',
    });
  }

  post(body: string, headers: Record<string, string> = {}): Promise<HttpCallResult> {
    const limit = this.options.maxResponseBytes ?? 64 * 1024 * 1024;
    return new Promise((resolve, reject) => {
      const req = this.request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      });
      const timer = setTimeout(() => {
        req.destroy(new HttpCallError('timeout', `no answer within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) req.destroy(new HttpCallError('unreachable', 'response too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(
          error instanceof HttpCallError ? error : new HttpCallError('unreachable', error.message),
        );
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
