/** Medians over rounds, the ratios the issue asks for, and the JSON and markdown reports. */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Measurement } from './load.ts';

export interface GatewayResult {
  gateway: string;
  rounds: Measurement[];
  median: Measurement;
}

export interface Ratio {
  /** Ratio of the medians. */
  median: number;
  /** Median of the per-round ratios: steadier when the machine's load drifts between rounds. */
  pairedMedian: number;
  /** Smallest and largest per-round ratio (each round measures the gateways back to back). */
  min: number;
  max: number;
}

export interface WorkloadResult {
  workload: string;
  title: string;
  skipped?: string;
  gateways: GatewayResult[];
  ratios: Record<string, Ratio>;
}

export const median = (values: number[]): number => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export function medianMeasurement(rounds: Measurement[]): Measurement {
  const of = (key: keyof Measurement) => median(rounds.map((r) => r[key]));
  return {
    requestsPerSecond: of('requestsPerSecond'),
    p50Ms: of('p50Ms'),
    p99Ms: of('p99Ms'),
    cpuMsPerRequest: of('cpuMsPerRequest'),
    departmentsCpuMsPerRequest: of('departmentsCpuMsPerRequest'),
    clientCpuMsPerRequest: of('clientCpuMsPerRequest'),
    databaseCpuMsPerRequest: of('databaseCpuMsPerRequest'),
    machineCpuMsPerRequest: of('machineCpuMsPerRequest'),
    rssMb: of('rssMb'),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    failures: rounds.reduce((sum, r) => sum + r.failures, 0),
    loadAverage: of('loadAverage'),
  };
}

function ratio(a: GatewayResult, b: GatewayResult, key: keyof Measurement): Ratio {
  const perRound = a.rounds.map((r, i) => r[key] / (b.rounds[i]?.[key] ?? NaN));
  const finite = perRound.filter(Number.isFinite);
  return {
    median: a.median[key] / b.median[key],
    pairedMedian: median(finite),
    min: Math.min(...finite),
    max: Math.max(...finite),
  };
}

/** ours/vanilla and ours/floor for throughput, CPU per request and p50; ours/ours-noaudit. */
export function ratiosOf(gateways: GatewayResult[]): Record<string, Ratio> {
  const by = new Map(gateways.map((g) => [g.gateway, g]));
  const ours = by.get('ours');
  const ratios: Record<string, Ratio> = {};
  for (const other of ['vanilla', 'floor']) {
    const base = by.get(other);
    if (!ours || !base) continue;
    ratios[`ours/${other} requests/s`] = ratio(ours, base, 'requestsPerSecond');
    ratios[`ours/${other} CPU/request`] = ratio(ours, base, 'cpuMsPerRequest');
    ratios[`ours/${other} p50`] = ratio(ours, base, 'p50Ms');
  }
  const floor = by.get('floor');
  const stock = by.get('floor-stock');
  if (floor && stock) {
    ratios["floor/floor-stock departments CPU/request (ours' access context)"] = ratio(
      floor,
      stock,
      'departmentsCpuMsPerRequest',
    );
    ratios['floor/floor-stock machine CPU/request'] = ratio(floor, stock, 'machineCpuMsPerRequest');
  }
  const noDelay = by.get('ours-nodelay');
  if (ours && noDelay) {
    ratios['ours/ours-nodelay requests/s (commit delay)'] = ratio(
      ours,
      noDelay,
      'requestsPerSecond',
    );
    ratios['ours/ours-nodelay CPU/request (commit delay)'] = ratio(
      ours,
      noDelay,
      'cpuMsPerRequest',
    );
    ratios['ours/ours-nodelay p50 (commit delay)'] = ratio(ours, noDelay, 'p50Ms');
  }
  const noAudit = by.get('ours-noaudit');
  if (ours && noAudit) {
    ratios['ours/ours-noaudit requests/s (audit cost)'] = ratio(ours, noAudit, 'requestsPerSecond');
    ratios['ours/ours-noaudit CPU/request (audit cost)'] = ratio(ours, noAudit, 'cpuMsPerRequest');
    ratios['ours/ours-noaudit machine CPU/request (audit cost)'] = ratio(
      ours,
      noAudit,
      'machineCpuMsPerRequest',
    );
  }
  return ratios;
}

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : 'n/a');

export function measurementTable(rows: { label: string; m: Measurement }[]): string {
  const lines = [
    '| gateway | requests/s | p50 ms | p99 ms | gateway CPU ms/req | departments CPU ms/req | load generator CPU ms/req | database CPU ms/req | machine CPU ms/req | RSS MiB | requests | failures | load avg |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { label, m } of rows) {
    lines.push(
      `| ${label} | ${int(m.requestsPerSecond)} | ${f(m.p50Ms, 1)} | ${f(m.p99Ms, 1)} | ${f(m.cpuMsPerRequest)} | ${f(m.departmentsCpuMsPerRequest)} | ${f(m.clientCpuMsPerRequest)} | ${f(m.databaseCpuMsPerRequest)} | ${f(m.machineCpuMsPerRequest)} | ${f(m.rssMb, 0)} | ${int(m.requests)} | ${m.failures} | ${f(m.loadAverage, 1)} |`,
    );
  }
  return lines.join('\n');
}

export function workloadMarkdown(w: WorkloadResult): string {
  if (w.skipped) return `### ${w.workload}: ${w.title}\n\nskipped: ${w.skipped}\n`;
  const table = measurementTable(w.gateways.map((g) => ({ label: g.gateway, m: g.median })));
  const ratios = Object.entries(w.ratios)
    .map(
      ([name, r]) =>
        `| ${name} | ${f(r.median)} | ${f(r.pairedMedian)} | ${f(r.min)} – ${f(r.max)} |`,
    )
    .join('\n');
  return [
    `### ${w.workload}: ${w.title}`,
    '',
    `Medians of ${w.gateways[0]?.rounds.length ?? 0} interleaved rounds (requests and failures: totals).`,
    '',
    table,
    '',
    '| ratio | of the medians | median per round | per round (min – max) |',
    '| --- | ---: | ---: | ---: |',
    ratios,
    '',
  ].join('\n');
}

/** Writes bench/results/<stamp>.json and .md; returns the markdown path. */
export function writeReport(stamp: string, json: unknown, markdown: string): string {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`${stamp}.json`, dir), `${JSON.stringify(json, null, 2)}\n`);
  const md = new URL(`${stamp}.md`, dir);
  writeFileSync(md, markdown);
  return md.pathname;
}
