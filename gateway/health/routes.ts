/**
 * The operational routes, on the gateway's port: GET /healthz (the process is alive), GET /readyz
 * (ready for traffic: 200, or 503 naming what is not), GET /metrics (Prometheus text). None of
 * them carries personal data; /metrics is meant for the monitoring network (docs/operations.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../lib/http.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { ReadinessReport } from './readiness.ts';

export interface OperationalRouteOptions {
  readiness: () => Promise<ReadinessReport>;
  metrics: GatewayMetrics;
}

/** Answers an operational route; false when the path is not one. */
export function createOperationalRoutes(options: OperationalRouteOptions) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    switch (url.pathname) {
      case '/healthz':
        sendJson(res, 200, { status: 'ok' });
        return true;
      case '/readyz': {
        const report = await options.readiness();
        sendJson(res, report.status === 'ready' ? 200 : 503, report, {
          'cache-control': 'no-store',
        });
        return true;
      }
      case '/metrics': {
        if (req.method !== 'GET') {
          sendJson(res, 405, { error: 'GET only' }, { allow: 'GET' });
          return true;
        }
        const { contentType, body } = await options.metrics.exposition();
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(body);
        return true;
      }
      default:
        return false;
    }
  };
}
