/**
 * Prometheus metrics (prom-client), one registry per gateway so that two gateways in one process
 * (tests) keep their own counts; the process-wide default metrics (memory, CPU, event loop) are
 * registered once and served alongside. Labels are bounded sets only: outcomes, department codes
 * from the catalogue, subgraph names, error codes. Never a client id or anything personal.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from '../resilience/circuit-breaker.ts';
import type { SubgraphCallObserver } from '../data-source.ts';

let processRegistry: Registry | undefined;

/** Node's own metrics (process_*, nodejs_*), once per process. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const CIRCUIT_STATE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export type RequestOutcome = 'ok' | 'partial' | 'rejected' | 'error';

export function createGatewayMetrics() {
  const registry = new Registry();
  const requests = new Counter({
    name: 'gateway_requests_total',
    help: 'GraphQL requests by outcome (ok, partial: data with field errors, rejected: 4xx, error: 5xx) and department',
    labelNames: ['outcome', 'department'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Time from request received to response written, by outcome',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'gateway_errors_total',
    help: 'Errors in responses by extensions.code: request rejections and field denials alike',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const subgraphDuration = new Histogram({
    name: 'gateway_subgraph_request_duration_seconds',
    help: 'Calls from the gateway to a department, by subgraph and outcome',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const subgraphErrors = new Counter({
    name: 'gateway_subgraph_errors_total',
    help: 'Failed calls to a department by reason (timeout, unreachable, http_error, bad_response, circuit_open)',
    labelNames: ['subgraph', 'reason'] as const,
    registers: [registry],
  });
  const circuitState = new Gauge({
    name: 'gateway_subgraph_circuit_state',
    help: 'Circuit breaker per department: 0 closed, 1 half-open, 2 open',
    labelNames: ['subgraph'] as const,
    registers: [registry],
  });
  const consentChecks = new Counter({
    name: 'gateway_consent_checks_total',
    help: 'Consent tokens checked, by result (granted, or the code that made it unusable)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'gateway_rate_limited_total',
    help: 'Requests refused by a rate limit, by scope (department, client)',
    labelNames: ['scope'] as const,
    registers: [registry],
  });
  const limitRefusals = new Counter({
    name: 'gateway_operation_limit_refusals_total',
    help: 'Operations refused by a limit (tokens, depth, aliases, rootFields, cost)',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'gateway_shared_store_errors_total',
    help: 'Shared-store failures by use (rate_limit counted on this replica alone meanwhile)',
    labelNames: ['use'] as const,
    registers: [registry],
  });
  const auditFlushDuration = new Histogram({
    name: 'gateway_audit_flush_duration_seconds',
    help: 'Time to write one group of access records to the audit log',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const auditGroupRecords = new Histogram({
    name: 'gateway_audit_group_records',
    help: 'Access records written together in one group commit (AUDIT_COMMIT_DELAY_MS tunes it)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [registry],
  });

  const subgraphObserver: SubgraphCallObserver = {
    call(subgraph, outcome, seconds) {
      if (outcome !== 'circuit_open') subgraphDuration.observe({ subgraph, outcome }, seconds);
      if (outcome !== 'ok') subgraphErrors.inc({ subgraph, reason: outcome });
    },
    circuit(subgraph, state) {
      circuitState.set({ subgraph }, CIRCUIT_STATE[state]);
    },
  };

  return {
    registry,
    requests,
    requestDuration,
    errors,
    consentChecks,
    rateLimited,
    limitRefusals,
    storeErrors,
    /** For gateway/audit: observe each flush of the access-record buffer, in seconds. */
    auditFlushDuration,
    observeAuditFlush: (seconds: number, records: number) => {
      auditFlushDuration.observe(seconds);
      auditGroupRecords.observe(records);
    },
    subgraphObserver,
    /** The exposition text: this gateway's metrics, then the process's. */
    async exposition(): Promise<{ contentType: string; body: string }> {
      const own = await registry.metrics();
      const processWide = await processMetrics().metrics();
      return { contentType: registry.contentType, body: `${own}\n${processWide}` };
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
