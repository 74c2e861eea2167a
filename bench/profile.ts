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
export type Activities = [string, RegExp][];

export const GATEWAY_ACTIVITIES: Activities = [
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

/** The same question for the departments' process: what one department call costs. */
export const DEPARTMENT_ACTIVITIES: Activities = [
  [
    'data loading (loaders, SQL)',
    /dataloader|kysely|better-sqlite3|\bpg\/|pg-protocol|subgraphs\/[a-z]+\/loaders\.ts|runtime\/loaders\.ts/,
  ],
  ['access-context verification', /verifyAccessContext|jwtVerify|jws_verify|verifySignature/],
  [
    'field decisions, masking, access report',
    /runtime\/field-policy\.ts|schema\/policy\.ts|runtime\/guard\.ts|access-report\.ts|masking\.ts/,
  ],
  ['federation entities (@apollo/subgraph)', /@apollo\/subgraph/],
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

interface Tally {
  windowed: boolean;
  idleMs: number;
  bySelf: Map<string, number>;
  byPackage: Map<string, number>;
  byActivity: Map<string, number>;
  inclusive: Map<string, number>;
}

const addTo = (map: Map<string, number>, key: string, ms: number) =>
  map.set(key, (map.get(key) ?? 0) + ms);

/** Adds one profile's samples (inside the window, when it lies inside the profile) to the tally. */
function tallyProfile(
  file: string,
  window: { startUs: number; endUs: number } | undefined,
  activities: Activities,
  tally: Tally,
): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Only the measured window when the clocks agree (the window lies inside the profile).
  const span =
    window && window.startUs >= profile.startTime && window.endUs <= profile.endTime
      ? window
      : undefined;
  if (!span) tally.windowed = false;
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (span && (at < span.startUs || at > span.endUs)) return;
    // timeDeltas[i] is the gap before sample i; the sample lasts until the next one.
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + ms);
  });
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      tally.idleMs += ms;
      continue;
    }
    addTo(tally.bySelf, keyOf(frame), ms);
    addTo(tally.byPackage, packageOf(frame), ms);
  }

  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  for (const [id, ms] of self) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      stack.push(keyOf(byId.get(at)!.callFrame));
    }
    const found = activities.find(([, re]) => stack.some((frame) => re.test(frame)));
    addTo(tally.byActivity, found?.[0] ?? 'other (HTTP, JSON, access checks, …)', ms);
  }

  // Inclusive time, counting a function once per stack even when it recurses.
  const walk = (id: number, open: Set<string>): number => {
    const node = byId.get(id)!;
    const key = keyOf(node.callFrame);
    const counted = INCLUSIVE.some((re) => re.test(key)) && !open.has(key);
    if (counted) open.add(key);
    let total = self.get(id) ?? 0;
    for (const child of node.children ?? []) total += walk(child, open);
    if (counted) {
      open.delete(key);
      addTo(tally.inclusive, key, total);
    }
    return total;
  };
  const root = profile.nodes[0];
  if (root) walk(root.id, new Set());
}

/**
 * Where the CPU of one process, or of several (the departments, one per process) together, went
 * inside `window`.
 */
export function summarizeProfile(
  files: string | string[],
  window?: { startUs: number; endUs: number },
  activities: Activities = GATEWAY_ACTIVITIES,
  n = 30,
): ProfileSummary {
  const list = Array.isArray(files) ? files : [files];
  const tally: Tally = {
    windowed: window !== undefined,
    idleMs: 0,
    bySelf: new Map(),
    byPackage: new Map(),
    byActivity: new Map(),
    inclusive: new Map(),
  };
  for (const file of list) tallyProfile(file, window, activities, tally);
  const busyMs = [...tally.bySelf.values()].reduce((a, b) => a + b, 0);
  return {
    file: list.join(', '),
    windowed: tally.windowed,
    ...(tally.windowed && window ? { window } : {}),
    busyMs,
    idleMs: tally.idleMs,
    topSelf: top(tally.bySelf, busyMs, n),
    byPackage: top(tally.byPackage, busyMs, 20),
    byActivity: top(tally.byActivity, busyMs, activities.length + 1),
    inclusive: top(tally.inclusive, busyMs, 25),
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
