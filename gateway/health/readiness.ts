/**
 * GET /readyz: is this gateway ready for traffic? The supergraph must be loaded and the gateway
 * not shutting down; the departments (their /healthz) and the shared store must answer when
 * READYZ_REQUIRE names them (both by default). Every check is reported, required or not, so that
 * a 503 names what is not ready. Results are kept for a second: a probe storm never turns into
 * a storm on the departments.
 */
import { probe } from '../../lib/http-client.ts';
import type { SharedStore } from '../../lib/store/index.ts';
import type { TlsMaterial } from '../../lib/tls-config.ts';
import type { ReadinessCheck } from '../../lib/operations-config.ts';

export interface ReadinessOptions {
  /** Subgraph name → its GraphQL URL; its /healthz is probed. */
  subgraphUrls: Record<string, string>;
  store: SharedStore;
  requires: readonly ReadinessCheck[];
  supergraphLoaded: () => boolean;
  draining: () => boolean;
  timeoutMs?: number;
  /** The gateway's client certificate, when departments require one (mutual TLS). */
  tls?: TlsMaterial | undefined;
}

export interface ReadinessReport {
  status: 'ready' | 'not ready';
  checks: {
    supergraph: 'loaded' | 'not loaded';
    shutdown: 'running' | 'draining';
    store: 'reachable' | 'unreachable';
    subgraphs: Record<string, 'reachable' | 'unreachable'>;
  };
  /** What makes it not ready, in words ("subgraph medical unreachable"). */
  problems: string[];
}

export function createReadiness(options: ReadinessOptions): () => Promise<ReadinessReport> {
  const timeoutMs = options.timeoutMs ?? 1000;
  let cached: { at: number; report: Promise<ReadinessReport> } | undefined;

  const check = async (): Promise<ReadinessReport> => {
    const names = Object.keys(options.subgraphUrls);
    const [storeOk, ...subgraphOk] = await Promise.all([
      options.store.ping().then(
        () => true,
        () => false,
      ),
      ...names.map((name) =>
        probe(new URL('/healthz', options.subgraphUrls[name]!), timeoutMs, options.tls),
      ),
    ]);
    const report: ReadinessReport = {
      status: 'ready',
      checks: {
        supergraph: options.supergraphLoaded() ? 'loaded' : 'not loaded',
        shutdown: options.draining() ? 'draining' : 'running',
        store: storeOk ? 'reachable' : 'unreachable',
        subgraphs: Object.fromEntries(
          names.map((name, i) => [name, subgraphOk[i] ? 'reachable' : 'unreachable']),
        ),
      },
      problems: [],
    };
    if (report.checks.supergraph !== 'loaded') report.problems.push('supergraph not loaded');
    if (report.checks.shutdown === 'draining') report.problems.push('shutting down');
    if (!storeOk && options.requires.includes('store'))
      report.problems.push('shared store unreachable');
    if (options.requires.includes('subgraphs')) {
      for (const [i, name] of names.entries())
        if (!subgraphOk[i]) report.problems.push(`subgraph ${name} unreachable`);
    }
    if (report.problems.length > 0) report.status = 'not ready';
    return report;
  };

  return () => {
    const now = Date.now();
    // Shutting down is reported at once, whatever was cached.
    if (!cached || now - cached.at > 1000 || options.draining()) {
      cached = { at: now, report: check() };
    }
    return cached.report;
  };
}
