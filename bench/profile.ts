/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and answers "where does the gateway's CPU go": self
 * time by function, by package, and the inclusive time of the functions the issue asks about.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  endTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  percent: number;
}

/**
 * What the gateway's time is for: a sample belongs to the first activity (in this order) that
 * any frame of its stack matches, so a JSON.parse inside the fetch path counts as the fetch.
 */
const ACTIVITIES: [string, RegExp][] = [
  ['audit (access log)', /gateway\/audit\/|kysely|better-sqlite3|\bpg\//],
  [
    'access-context signing',
    /signAccessContext|jws_sign|createSignature|schema\/access-context\.ts|signOneShot/,
  ],
  ['token verification', /jwtVerify|jws_verify|verifySignature/],
  [
    'subgraph HTTP (fetcher)',
    /undici|node-fetch|minipass|make-fetch-happen|agent-base|@npmcli\/agent|_http_client|_http_agent|RemoteGraphQLDataSource|abort_controller|js_transferable|lib\/http-client\.ts|gateway\/data-source\.ts/,
  ],
  [
    'plan execution, result merge',
    /executeQueryPlan|resultShaping|federation-internals|query-planner/,
  ],
  ['Apollo Server pipeline, graphql', /@apollo\/server\/|node_modules\/graphql\//],
  ['garbage collector', /^\(garbage collector\)/],
];

export interface ProfileSummary {
  file: string;
  /** Whether only the measured window was counted (else the whole life, start-up included). */
  windowed: boolean;
  /** The measured window, in the profile's clock (monotonic microseconds). */
  window?: { startUs: number; endUs: number };
  busyMs: number;
  idleMs: number;
  topSelf: ProfileEntry[];
  byPackage: ProfileEntry[];
  byActivity: ProfileEntry[];
  inclusive: ProfileEntry[];
}

/** Functions whose whole cost (with callees) matters to the analysis. */
const INCLUSIVE = [
  /^signAccessContext /,
  /^jwtVerify /,
  /^createCallerAuthenticator|authenticate/,
  /^check .*consent\.ts/,
  /^willSendRequest /,
  /^sendRequest .*RemoteGraphQLDataSource/,
  /^executeQueryPlan /,
  /^executeFetch /,
  /^buildQueryPlan /,
  /^executeHTTPGraphQLRequest /,
  /^processGraphQLRequest /,
  /^parse .*graphql/,
  /^validate .*graphql/,
  /^fetch /,
  /^(stringify|parse) $/,
  /^requestAccess|createRequestAccess/,
];

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const project = url.indexOf('/work/main/');
  if (project >= 0) return url.slice(project + '/work/main/'.length);
  return url.replace(/^file:\/\//, '');
}

function packageOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8)';
  if (url.startsWith('node:')) {
    // Split Node's own time by what it is doing for the gateway.
    if (url.includes('/undici/')) return 'node: undici (fetch)';
    if (url.includes('/crypto/') || url.includes('/worker/js_transferable')) return 'node: crypto';
    if (url.includes('/webstreams/')) return 'node: web streams';
    if (/abort_controller|event_target|node:events/.test(url)) return 'node: events, abort signals';
    if (/_http_|node:net|stream|node:internal\/http/.test(url)) return 'node: http, net, streams';
    return 'node: other';
  }
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  const rel = shortUrl(url);
  return rel.includes('/') ? `project: ${rel.split('/')[0]}/` : rel;
}

const keyOf = (frame: ProfileNode['callFrame']) =>
  `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;

function top(map: Map<string, number>, busy: number, n: number): ProfileEntry[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => ({ name, ms, percent: (100 * ms) / busy }));
}

/** Monotonic microseconds, the clock V8 stamps profiles with (CLOCK_MONOTONIC on Linux). */
export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

export function summarizeProfile(
  file: string,
  window?: { startUs: number; endUs: number },
  n = 30,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Only the measured window when the clocks agree (the window lies inside the profile).
  const span =
    window && window.startUs >= profile.startTime && window.endUs <= profile.endTime
      ? window
      : undefined;
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (span && (at < span.startUs || at > span.endUs)) return;
    // timeDeltas[i] is the gap before sample i; the sample lasts until the next one.
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + ms);
  });
  let idleMs = 0;
  const bySelf = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const key = keyOf(frame);
    bySelf.set(key, (bySelf.get(key) ?? 0) + ms);
    const pkg = packageOf(frame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  const busyMs = [...bySelf.values()].reduce((a, b) => a + b, 0);

  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const byActivity = new Map<string, number>();
  for (const [id, ms] of self) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      stack.push(keyOf(byId.get(at)!.callFrame));
    }
    const found = ACTIVITIES.find(([, re]) => stack.some((frame) => re.test(frame)));
    const activity = found?.[0] ?? 'other (incoming HTTP, access checks, JSON, …)';
    byActivity.set(activity, (byActivity.get(activity) ?? 0) + ms);
  }

  // Inclusive time, counting a function once per stack even when it recurses.
  const inclusive = new Map<string, number>();
  const walk = (id: number, open: Set<string>): number => {
    const node = byId.get(id)!;
    const key = keyOf(node.callFrame);
    const counted = INCLUSIVE.some((re) => re.test(key)) && !open.has(key);
    if (counted) open.add(key);
    let total = self.get(id) ?? 0;
    for (const child of node.children ?? []) total += walk(child, open);
    if (counted) {
      open.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + total);
    }
    return total;
  };
  const root = profile.nodes[0];
  if (root) walk(root.id, new Set());
  return {
    file,
    windowed: span !== undefined,
    ...(span ? { window: span } : {}),
    busyMs,
    idleMs,
    topSelf: top(bySelf, busyMs, n),
    byPackage: top(byPackage, busyMs, 20),
    byActivity: top(byActivity, busyMs, ACTIVITIES.length + 1),
    inclusive: top(inclusive, busyMs, 25),
  };
}

export function profileMarkdown(summary: ProfileSummary, requests: number): string {
  const table = (title: string, entries: ProfileEntry[]) =>
    [
      `| ${title} | ms | % of busy | µs/request |`,
      '| --- | ---: | ---: | ---: |',
      ...entries.map(
        (e) =>
          `| \`${e.name.replace(/\|/g, '\\|')}\` | ${e.ms.toFixed(0)} | ${e.percent.toFixed(1)} | ${requests ? ((1000 * e.ms) / requests).toFixed(1) : 'n/a'} |`,
      ),
    ].join('\n');
  return [
    `Profile: \`${summary.file}\`, ${summary.windowed ? 'the measured window only' : 'the whole process life (start-up included)'}: busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms, ${requests} requests.`,
    '',
    table('time by activity', summary.byActivity),
    '',
    table('self time by function', summary.topSelf),
    '',
    table('self time by package', summary.byPackage),
    '',
    table('inclusive time (with callees)', summary.inclusive),
    '',
  ].join('\n');
}
