/**
 * A gateway again, alone, under `node --cpu-prof`, for one longer window of the household
 * workload; the summary counts only the samples inside the measured window. Ours by default;
 * the baselines too on request, to compare where the same work goes.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load, measure, type Measurement } from './load.ts';
import type { BenchOptions, GatewayName } from './options.ts';
import { monotonicMicros, summarizeProfile, type ProfileSummary } from './profile.ts';
import { databaseProcess, startGateway, type RunningDepartments } from './session.ts';
import type { Workload } from './workloads.ts';

export interface ProfileRun {
  gateway: GatewayName;
  workload: string;
  summary: ProfileSummary;
  measurement: Measurement;
}

export async function profileGateway(
  gateway: GatewayName,
  options: BenchOptions,
  departments: RunningDepartments,
  workload: Workload,
  stamp: string,
): Promise<ProfileRun> {
  const dir = fileURLToPath(new URL(`./results/profile-${stamp}-${gateway}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  const child = await startGateway(gateway, options, departments, [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
  ]);
  let measurement: Measurement;
  let window: { startUs: number; endUs: number };
  try {
    const target = { url: child.ready.url, pid: child.pid };
    await load(target.url, workload, {
      connections: options.connections,
      durationSeconds: options.warmupSeconds,
    });
    const startUs = monotonicMicros();
    measurement = await measure(
      target,
      departments.children.map((c) => c.pid),
      workload,
      {
        connections: options.connections,
        durationSeconds: options.profileSeconds,
        database: databaseProcess(options),
      },
    );
    window = { startUs, endUs: monotonicMicros() };
  } finally {
    await child.stop();
  }
  return {
    gateway,
    workload: workload.name,
    summary: summarizeProfile(mainThreadProfile(dir), window),
    measurement,
  };
}

/** A profiled process's main-thread profile in `dir` (the largest: tsx's loader thread writes one too). */
export function mainThreadProfile(dir: string): string {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(`${dir}${b}`).size - statSync(`${dir}${a}`).size)[0];
  if (!file) throw new Error(`no .cpuprofile was written in ${dir}`);
  return `${dir}${file}`;
}

/** Where the departments' profiles go (`--profile-departments`). */
export function departmentsProfileDir(stamp: string): string {
  const dir = fileURLToPath(new URL(`./results/profile-${stamp}-departments/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}
