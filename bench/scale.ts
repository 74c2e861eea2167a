/**
 * `--scale`: the household workload at several population sizes on PostgreSQL, each size in its
 * own schema prefix (seeded once, kept for later runs), with the seeding time measured.
 */
import type { BenchOptions } from './options.ts';
import { medianMeasurement, measurementTable, type WorkloadResult } from './report.ts';
import {
  POOL_SIZE,
  SeedingError,
  runWorkload,
  startDepartments,
  startGateways,
  stopAll,
} from './session.ts';
import { householdWorkload } from './workloads.ts';

export interface ScalePoint {
  households: number;
  /** Departments' start: seeding included when `seeded`. */
  startSeconds: number;
  seeded: boolean;
  result?: WorkloadResult;
  /** Why this size was not measured. */
  skipped?: string;
}

export async function runScale(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ScalePoint[]> {
  const points: ScalePoint[] = [];
  for (const households of options.scaleSizes) {
    log(`\nscale: ${households.toLocaleString('en')} households on PostgreSQL`);
    let departments;
    try {
      departments = await startDepartments(options, households, log);
    } catch (error) {
      if (!(error instanceof SeedingError)) throw error;
      log(`  ${error.message}`);
      points.push({
        households,
        startSeconds: error.seconds,
        seeded: false,
        skipped: `not seeded within ${options.maxSeedMinutes} min (${error.seeded.toLocaleString('en')} households done)`,
      });
      continue;
    }
    try {
      const gateways = await startGateways(options, departments);
      try {
        const workload = householdWorkload(
          departments.pool.slice(0, POOL_SIZE),
          departments.caller,
        );
        const result = await runWorkload(workload, gateways, departments, options, log);
        points.push({
          households,
          startSeconds: departments.startSeconds,
          seeded: departments.seeded,
          result,
        });
      } finally {
        await stopAll(gateways.values());
      }
    } finally {
      await departments.stop();
    }
  }
  return points;
}

export function scaleMarkdown(points: ScalePoint[]): string {
  const lines = ['## Scale: the household workload on PostgreSQL', ''];
  lines.push(
    '| households | departments start (s) | gateway | requests/s | p50 ms | p99 ms | gateway CPU ms/req |',
  );
  lines.push('| ---: | ---: | --- | ---: | ---: | ---: | ---: |');
  for (const p of points) {
    const start = `${p.startSeconds.toFixed(0)}${p.seeded ? ' (seeded)' : ' (reused)'}`;
    if (!p.result) {
      lines.push(
        `| ${p.households.toLocaleString('en')} | ${p.startSeconds.toFixed(0)} | ${p.skipped} | | | | |`,
      );
      continue;
    }
    for (const g of p.result.gateways) {
      const m = medianMeasurement(g.rounds);
      lines.push(
        `| ${p.households.toLocaleString('en')} | ${start} | ${g.gateway} | ${Math.round(m.requestsPerSecond)} | ${m.p50Ms.toFixed(1)} | ${m.p99Ms.toFixed(1)} | ${m.cpuMsPerRequest.toFixed(2)} |`,
      );
    }
  }
  lines.push('');
  for (const p of points) {
    if (!p.result) continue;
    lines.push(`### ${p.households.toLocaleString('en')} households`, '');
    lines.push(
      measurementTable(p.result.gateways.map((g) => ({ label: g.gateway, m: g.median }))),
      '',
    );
  }
  return lines.join('\n');
}
