/**
 * One measurement: autocannon against one gateway for a fixed window, with the gateway's (and
 * the departments') CPU time read from /proc before and after, so CPU per request is that
 * process's own.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { cpuMs, cpuMsByPid, machineBusyMs, rssMb } from './procstat.ts';
import type { Workload } from './workloads.ts';

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
}

export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the gateway process per completed request. */
  cpuMsPerRequest: number;
  /** CPU time of the departments' processes per completed request (the same work for all). */
  departmentsCpuMsPerRequest: number;
  /** CPU time of the load generator (this process) per request: the machine's third consumer. */
  clientCpuMsPerRequest: number;
  /**
   * CPU time of the PostgreSQL server's processes per request (NaN on the embedded databases):
   * the departments' queries and ours' access log, which the processes above do not count.
   */
  databaseCpuMsPerRequest: number;
  /**
   * Busy CPU time of the whole machine per request: everything above, the kernel and whatever
   * else ran. Requests/s ≈ cores × 1000 / this, when the machine is the bound.
   */
  machineCpuMsPerRequest: number;
  rssMb: number;
  requests: number;
  /** Non-2xx answers, connection errors and responses carrying GraphQL errors. */
  failures: number;
  /** The machine's 1-minute load average at the end of the window (> 2: others were busy too). */
  loadAverage: number;
}

export async function load(url: string, workload: Workload, options: LoadOptions) {
  let failures = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: options.connections,
    duration: options.durationSeconds,
    pipelining: 1,
    requests: [
      {
        setupRequest: (request) => ({ ...request, ...workload.next() }),
        onResponse: (status, body) => {
          if (status !== 200 || body.includes('"errors"')) failures += 1;
        },
      },
    ],
  });
  return { result, failures: failures + result.errors };
}

/** The database server's process name, when the departments and the log are on PostgreSQL. */
export type DatabaseProcess = 'postgres' | null;

/** CPU time the database's processes spent between two snapshots (backends that began count whole). */
function databaseCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

export async function measure(
  target: { url: string; pid: number },
  /** The departments' processes: their CPU is summed. */
  departmentPids: readonly number[],
  workload: Workload,
  options: LoadOptions & { database?: DatabaseProcess },
): Promise<Measurement> {
  const database = options.database ?? null;
  const cpuBefore = cpuMs(target.pid);
  const departmentsCpu = () => departmentPids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const departmentsBefore = departmentsCpu();
  const clientBefore = cpuMs(process.pid);
  const databaseBefore = database ? cpuMsByPid(database) : null;
  const machineBefore = machineBusyMs();
  const { result, failures } = await load(target.url, workload, options);
  const machine = machineBusyMs() - machineBefore;
  const databaseCpu = databaseBefore
    ? databaseCpuBetween(databaseBefore, cpuMsByPid(database!))
    : NaN;
  const cpu = cpuMs(target.pid) - cpuBefore;
  const departments = departmentsCpu() - departmentsBefore;
  const client = cpuMs(process.pid) - clientBefore;
  const requests = result.requests.total;
  return {
    requestsPerSecond: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsPerRequest: requests > 0 ? cpu / requests : NaN,
    departmentsCpuMsPerRequest: requests > 0 ? departments / requests : NaN,
    clientCpuMsPerRequest: requests > 0 ? client / requests : NaN,
    databaseCpuMsPerRequest: requests > 0 ? databaseCpu / requests : NaN,
    machineCpuMsPerRequest: requests > 0 ? machine / requests : NaN,
    rssMb: rssMb(target.pid),
    requests,
    failures,
    loadAverage: os.loadavg()[0]!,
  };
}
