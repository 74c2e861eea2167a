/**
 * `npm run bench`: our gateway, a vanilla @apollo/gateway and a hand-written floor, side by side
 * on the same departments, data, requests and connections; see docs/performance.md.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { ensureDevKeys } from '../lib/identity/dev-keys.ts';
import { parseOptions, type BenchOptions } from './options.ts';
import { procAvailable } from './procstat.ts';
import {
  DEPARTMENT_ACTIVITIES,
  monotonicMicros,
  profileMarkdown,
  summarizeProfile,
  type ProfileSummary,
} from './profile.ts';
import {
  departmentsProfileDir,
  mainThreadProfile,
  profileGateway,
  type ProfileRun,
} from './profiling.ts';
import { workloadMarkdown, writeReport, type WorkloadResult } from './report.ts';
import { runScale, scaleMarkdown, type ScalePoint } from './scale.ts';
import {
  POOL_SIZE,
  runWorkload,
  startDepartments,
  startGateways,
  stopAll,
  type RunningDepartments,
} from './session.ts';
import {
  batchWorkload,
  householdWorkload,
  writeWorkload,
  writeWorkloadAvailable,
  type Workload,
} from './workloads.ts';
import { defaultOperationsConfig } from '../lib/operations-config.ts';

const log = (line: string) => console.log(line);

/** What ours runs with, stated in every report so a reader knows what "everything on" meant. */
const NOTES = [
  'ours: authentication (ES256 caller token), purpose and operator checks, consent verification (cached by hash) with a revocation check per request, an access context signed per department call, field decisions in the departments, the access record committed (group commit, with the commit delay below) before the response leaves.',
  'ours-noaudit: the same gateway with audit: null, to measure what the audit costs.',
  'vanilla: @apollo/gateway + startStandaloneServer, stock RemoteGraphQLDataSource and default fetcher; its only addition signs the access context the departments require (fixed caller and purpose, grants copied unverified from the consent tokens), per department call.',
  "floor: node:http, the query plan's 7 subgraph calls written by hand with ours' keep-alive client (lib/http-client.ts) and ours' signer, one access context per call.",
  'ours-nodelay (when asked for): ours with the commit delay off (AUDIT_COMMIT_DELAY_MS=0), its own access log.',
  "floor-stock (when asked for): the floor signing as a stock gateway (jose, every consent category, no grouped access reports), so floor/floor-stock is ours' access-context protocol's effect on the departments.",
];

/** The code measured: commit, and whether the work tree had changes on top of it. */
function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git work tree)';
  }
}

const DEPARTMENTS_MODES: Record<BenchOptions['departments'], string> = {
  'per-department': 'each in its own process, as deployed; their CPU is the sum of the six',
  'one-process': 'all six in one process',
  replay:
    "replayed: each department call answered with the real department's recorded answer to the same call (bench/replay-main.ts), every request primed through every gateway first, so the gateway is the bound; their CPU is the replay's (and the idle departments')",
};

function header(options: BenchOptions, started: Date): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return [
    `# Benchmark ${started.toISOString()}`,
    '',
    `- code: ${revision()}`,
    `- machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    `- ours' audit commit delay: ${options.auditCommitDelayMs ?? defaultOperationsConfig().auditCommitDelayMs} ms (AUDIT_COMMIT_DELAY_MS)`,
    `- storage: ${options.postgres ? 'PostgreSQL' : 'embedded SQLite'}; ${options.scale ? `scale sizes ${options.scaleSizes.join(', ')}` : `${options.households.toLocaleString('en')} households`}`,
    `- load: autocannon, ${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured per gateway, ${options.rounds} interleaved rounds (${options.gateways.join(', ')})`,
    '- each gateway in its own process; CPU = utime + stime of that process from /proc over the measured window',
    "- machine CPU: the whole box's busy time from /proc/stat over the window; database CPU (PostgreSQL runs): every `postgres` process's",
    `- departments: ${DEPARTMENTS_MODES[options.departments]}`,
    '- load avg: the 1-minute load average after each window; above 2 (the cores), other processes competed',
    '',
    ...NOTES.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

function targets(results: WorkloadResult[]): string {
  const lines = ['## Targets (issue 6)', ''];
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  for (const w of results) {
    // Median of the per-round ratios: each round measures the gateways back to back.
    const rps = w.ratios['ours/vanilla requests/s']?.pairedMedian;
    const cpuVanilla = w.ratios['ours/vanilla CPU/request']?.pairedMedian;
    const cpu = w.ratios['ours/floor CPU/request']?.pairedMedian;
    if (rps !== undefined && cpuVanilla !== undefined)
      lines.push(
        `- ${w.workload}: ours/vanilla requests/s = ${rps.toFixed(2)} (target ≥ 1.5: ${verdict(rps >= 1.5)}); ours/vanilla gateway CPU per request = ${cpuVanilla.toFixed(2)} (≤ 0.67 would match)`,
      );
    if (cpu !== undefined)
      lines.push(
        `- ${w.workload}: ours/floor gateway CPU per request = ${cpu.toFixed(2)} (target ≤ 5: ${verdict(cpu <= 5)})`,
      );
  }
  for (const w of results) {
    // Audit cost in both currencies: throughput (noisy here) and the gateway's CPU per request.
    const rps = w.ratios['ours/ours-noaudit requests/s (audit cost)']?.pairedMedian;
    const cpu = w.ratios['ours/ours-noaudit CPU/request (audit cost)']?.pairedMedian;
    if (rps === undefined || cpu === undefined) continue;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    lines.push(
      `- ${w.workload}: audit costs ${pct(1 - rps)} of requests/s and ${pct(cpu - 1)} more gateway CPU per request (target ≤ 10%: ${1 - rps <= 0.1 && cpu - 1 <= 0.1 ? 'met' : 'NOT met'})`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

function workloadsFor(options: BenchOptions, departments: RunningDepartments) {
  const { caller } = departments;
  // Writes go to households the reads never ask for: they add determinations.
  const pool = departments.pool.slice(0, POOL_SIZE);
  const writePool = departments.pool.slice(POOL_SIZE);
  const chosen: (Workload | WorkloadResult)[] = [];
  for (const name of options.workloads) {
    if (name === 'household') chosen.push(householdWorkload(pool, caller));
    else if (name === 'batch')
      chosen.push(batchWorkload(pool, caller, { replay: options.departments === 'replay' }));
    else if (name === 'write') {
      if (!writeWorkloadAvailable()) {
        log('write: skipped: recordDetermination not in the supergraph yet');
        chosen.push({
          workload: 'write',
          title: 'determination write',
          skipped: 'recordDetermination not in the supergraph yet',
          gateways: [],
          ratios: {},
        });
      } else chosen.push(writeWorkload(writePool, caller));
    } else throw new Error(`unknown workload "${name}"`);
  }
  return chosen;
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!procAvailable()) throw new Error('/proc is needed to read per-process CPU time (Linux)');
  const started = new Date();
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  await ensureDevKeys(options.dataDir);
  const results: WorkloadResult[] = [];
  let scale: ScalePoint[] | undefined;
  const profiles: ProfileRun[] = [];
  let departmentsProfile: ProfileSummary | undefined;
  if (options.scale) {
    scale = await runScale(options, log);
  } else {
    const profileDir = options.profileDepartments ? departmentsProfileDir(stamp) : undefined;
    const departments = await startDepartments(options, options.households, log, (name) =>
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}${name}/`] : [],
    );
    // The departments' profile counts from the first measurement to the last (warm-ups included).
    const measured = { startUs: monotonicMicros(), endUs: 0 };
    try {
      const gateways = await startGateways(options, departments);
      try {
        for (const w of workloadsFor(options, departments)) {
          results.push('next' in w ? await runWorkload(w, gateways, departments, options, log) : w);
        }
      } finally {
        measured.endUs = monotonicMicros();
        await stopAll(gateways.values());
      }
      // Profiles run the first workload asked for (the household query by default).
      const workload = workloadsFor(options, departments).find((w): w is Workload => 'next' in w);
      for (const gateway of workload ? options.profile : []) {
        log(
          `profiling ${gateway} (node --cpu-prof), ${options.profileSeconds} s of the ${workload!.name} workload`,
        );
        // A failed profile must not lose the measurements above.
        const run = await profileGateway(gateway, options, departments, workload!, stamp).catch(
          (error: unknown) => log(`profile of ${gateway} failed: ${(error as Error).message}`),
        );
        if (run) profiles.push(run);
      }
    } finally {
      await departments.stop();
    }
    if (profileDir) {
      const files = readdirSync(profileDir).map((name) =>
        mainThreadProfile(`${profileDir}${name}/`),
      );
      departmentsProfile = summarizeProfile(files, measured, DEPARTMENT_ACTIVITIES);
    }
  }
  const markdown = [
    header(options, started),
    ...(results.length
      ? ['## Results', '', ...results.map(workloadMarkdown), targets(results)]
      : []),
    ...(scale ? [scaleMarkdown(scale)] : []),
    ...profiles.flatMap((p) => [
      `## Profile of ${p.gateway} (${p.workload} workload)`,
      '',
      profileMarkdown(p.summary, p.measurement.requests),
    ]),
    ...(departmentsProfile
      ? [
          '## Profile of the departments (all measured workloads, warm-ups included)',
          '',
          profileMarkdown(departmentsProfile, 0),
        ]
      : []),
  ].join('\n');
  const file = writeReport(
    stamp,
    {
      startedAt: started,
      revision: revision(),
      options,
      notes: NOTES,
      results,
      scale,
      profiles,
      departmentsProfile,
    },
    markdown,
  );
  console.log(`\n${markdown}\nwritten: ${file} (and .json)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
