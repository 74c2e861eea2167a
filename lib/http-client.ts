/**
 * A lean JSON-over-HTTP POST client for the gateway's calls to departments: node:http on a
 * keep-alive agent, one timer per call for the deadline. Measured at about a sixth of the CPU of
 * Node 20's fetch per call (docs/performance.md): no WHATWG objects, streams or abort signals.
 */
import http from 'node:http';
import https from 'node:https';
import type { TlsMaterial } from './tls-config.ts';

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
  /**
   * Mutual TLS: the client certificate presented, and the only CA the department's certificate
   * may chain to. Requires an https:// URL (refused otherwise, rather than sent without it).
   */
  tls?: TlsMaterial | undefined;
}

/** Refuses a client certificate configured for a plain-HTTP URL: its calls would go without. */
function checkTls(url: URL, tls: TlsMaterial | undefined): void {
  if (tls && url.protocol !== 'https:')
    throw new Error(`a client certificate is configured, but ${url.origin} is not https://`);
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
    checkTls(this.url, options.tls);
    const secure = this.url.protocol === 'https:';
    this.request = secure ? https.request : http.request;
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets ?? 64,
      scheduling: 'lifo' as const,
    };
    this.agent = secure
      ? new https.Agent({ ...agentOptions, ...options.tls })
      : new http.Agent(agentOptions);
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

/** GET on `url`; true when it answers 2xx within the time (readiness probes, over mTLS too). */
export function probe(url: URL, timeoutMs: number, tls?: TlsMaterial): Promise<boolean> {
  checkTls(url, tls);
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise((resolve) => {
    const req = get(url, { ...tls, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
