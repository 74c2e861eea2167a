/**
 * Before anything is measured: every gateway answers the same requests with no errors and the
 * same data, deep-equal, so the three measure the same work. A gateway that answers differently
 * stops the run.
 */
import { isDeepStrictEqual } from 'node:util';
import type { BenchRequest, Workload } from './workloads.ts';

export interface Target {
  name: string;
  url: string;
}

const SAMPLES = 5;

async function ask(url: string, request: BenchRequest) {
  const response = await fetch(url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const text = await response.text();
  let body: { data?: unknown; errors?: unknown[] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // reported below as a bad answer
  }
  return { status: response.status, body, text };
}

/** The first path where two values differ, for a useful message. */
function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = (a as Record<string, unknown>)[key];
    const y = (b as Record<string, unknown>)[key];
    if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${path}.${key}`);
  }
  return path;
}

export async function checkResponses(targets: Target[], workload: Workload): Promise<void> {
  for (let i = 0; i < SAMPLES; i += 1) {
    const request = workload.fixed(i);
    const answers = await Promise.all(targets.map((t) => ask(t.url, request)));
    answers.forEach((answer, j) => {
      const name = targets[j]!.name;
      if (answer.status !== 200 || answer.body.errors || !answer.body.data) {
        throw new Error(
          `${name} answered ${workload.name} #${i} wrongly: HTTP ${answer.status} ${answer.text.slice(0, 500)}`,
        );
      }
      if (!workload.valid(answer.body.data)) {
        throw new Error(
          `${name} answered ${workload.name} #${i} without the full record: ${answer.text.slice(0, 500)}`,
        );
      }
    });
    const reference = answers[0]!.body.data;
    answers.slice(1).forEach((answer, j) => {
      if (!isDeepStrictEqual(answer.body.data, reference)) {
        throw new Error(
          `${targets[j + 1]!.name} and ${targets[0]!.name} differ on ${workload.name} #${i} at ${firstDifference(answer.body.data, reference)}`,
        );
      }
    });
  }
}
