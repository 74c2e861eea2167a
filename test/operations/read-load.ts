/**
 * A read load for fault tests: loops that send one household read until stopped, and a record of
 * each answer (full, one of the outage codes, or what else it was) with the phase of the test it
 * was sent and answered in.
 */
import { postJson } from './helpers.ts';

export const READ = `query Read($id: ID!) { household(id: $id) { id address members { name } } }`;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Answer = 'ok' | 'AUDIT_UNAVAILABLE' | 'SUBGRAPH_UNAVAILABLE' | string;

/** What one answer was: fine, one of the two outage codes (with the right status), or else. */
export function classify(response: Awaited<ReturnType<typeof postJson>>): Answer {
  const codes = new Set<string>(
    (response.body?.errors ?? []).map(
      (e: { extensions?: { code?: string } }) => e.extensions?.code,
    ),
  );
  if (response.status === 200 && codes.size === 0 && response.body?.data?.household) return 'ok';
  if (response.status === 503 && codes.size === 1 && codes.has('AUDIT_UNAVAILABLE'))
    return 'AUDIT_UNAVAILABLE';
  const household = response.body?.errors?.[0]?.path?.join('.');
  if (response.status === 200 && codes.size === 1 && codes.has('SUBGRAPH_UNAVAILABLE'))
    return household === 'household' && response.body.data?.household === null
      ? 'SUBGRAPH_UNAVAILABLE'
      : `SUBGRAPH_UNAVAILABLE at ${household}`;
  return `${response.status} ${[...codes].join(',')}`;
}

/**
 * Sends the read in a few loops until stopped; keeps each answer with the phases it was sent and
 * answered in, and its request id (to find its access record).
 */
export function readLoad(
  url: string,
  headers: Record<string, string>,
  household: string,
  loops: number,
) {
  const answers: { sent: string; settled: string; answer: Answer; requestId: string }[] = [];
  const state = { phase: 'before', running: true };
  let sent = 0;
  const loop = async () => {
    while (state.running) {
      const phase = state.phase;
      const requestId = `restart-${url.length}-${(sent += 1)}`;
      let answer: Answer;
      try {
        const body = { query: READ, variables: { id: household } };
        answer = classify(await postJson(url, body, { ...headers, 'x-request-id': requestId }));
      } catch {
        answer = 'connection dropped';
      }
      answers.push({ sent: phase, settled: state.phase, answer, requestId });
    }
  };
  const done = Promise.all(Array.from({ length: loops }, loop));
  return {
    state,
    answers,
    /** Answers to requests sent and answered within one phase. */
    in: (phase: string) =>
      answers.filter((a) => a.sent === phase && a.settled === phase).map((a) => a.answer),
    stop: async () => {
      state.running = false;
      await done;
    },
  };
}

/** Asks until the read is served in full again; the seconds it took. */
export async function untilServed(ask: () => Promise<Answer>, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if ((await ask().catch(() => 'connection dropped')) === 'ok')
      return (Date.now() - started) / 1000;
    await sleep(100);
  }
  throw new Error(`not served again within ${limitMs} ms`);
}

export type ReadLoad = ReturnType<typeof readLoad>;
