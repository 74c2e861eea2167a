/** Medians over rounds, the ratios the issue asks for, and the JSON and markdown reports. */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Measurement } from './load.ts';
import type { GatewayName } from './options.ts';

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

type Metric = [key: keyof Measurement, label: string];
const THROUGHPUT: Metric[] = [
  ['requestsPerSecond', 'requests/s'],
  ['cpuMsPerRequest', 'CPU/request'],
  ['p50Ms', 'p50'],
];

/** Each ratio a report gives, when both gateways ran: a/b for each metric, labelled `a/b metric (note)`. */
const COMPARISONS: { a: GatewayName; b: GatewayName; metrics: Metric[]; note?: string }[] = [
  { a: 'ours', b: 'vanilla', metrics: THROUGHPUT },
  { a: 'ours', b: 'floor', metrics: THROUGHPUT },
  {
    a: 'floor',
    b: 'floor-stock',
    metrics: [
      ['departmentsCpuMsPerRequest', "departments CPU/request (ours' access context)"],
      ['machineCpuMsPerRequest', 'machine CPU/request'],
    ],
  },
  { a: 'ours', b: 'ours-nodelay', metrics: THROUGHPUT, note: 'commit delay' },
  {
    a: 'ours',
    b: 'ours-noaudit',
    metrics: [
      ['requestsPerSecond', 'requests/s'],
      ['cpuMsPerRequest', 'CPU/request'],
      ['machineCpuMsPerRequest', 'machine CPU/request'],
    ],
    note: 'audit cost',
  },
];

/** ours against vanilla and the floor, the floor against floor-stock, ours against its variants. */
export function ratiosOf(gateways: GatewayResult[]): Record<string, Ratio> {
  const by = new Map(gateways.map((g) => [g.gateway, g]));
  const ratios: Record<string, Ratio> = {};
  for (const { a, b, metrics, note } of COMPARISONS) {
    const [first, second] = [by.get(a), by.get(b)];
    if (!first || !second) continue;
    for (const [key, label] of metrics) {
      ratios[`${a}/${b} ${label}${note ? ` (${note})` : ''}`] = ratio(first, second, key);
    }
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
