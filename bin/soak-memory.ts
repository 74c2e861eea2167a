/**
 * The soak's memory record: each measured process's RSS and heap every 10 s (growth that levels
 * off is warm-up: caches, JIT; a steady climb is a leak), heap snapshots on request, and the report.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ProbeMemory } from './memory-probe.ts';
import type { MeasuredProcess } from './soak-processes.ts';

interface Sample {
  at: number;
  rss: number;
  heap: number;
  heapTotal: number;
  external: number;
  rssAnon?: number | undefined;
}

export interface SnapshotOptions {
  /** Folder for heap snapshots; none taken without it. */
  dir?: string | undefined;
  /** Only this process's (by name). */
  only?: string | undefined;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export class MemoryRecord {
  private readonly series: Map<string, Sample[]>;
  private readonly started = Date.now();
  /** Samples and snapshots one after the other: a process answers one request at a time. */
  private queue: Promise<void> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly measured: MeasuredProcess[],
    private readonly snapshots: SnapshotOptions,
  ) {
    this.series = new Map(measured.map((p) => [p.name, []]));
  }

  /** A first sample now, one every 10 s, and a snapshot after a quarter of `durationMs`. */
  async start(durationMs: number): Promise<void> {
    await this.sample();
    this.timers = [
      setInterval(() => this.enqueue(() => this.sample()), 10_000),
      setTimeout(() => this.enqueue(() => this.snapshot('warm')), durationMs / 4),
    ];
  }

  /** A last sample and snapshot. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.queue;
    await this.sample();
    await this.snapshot('end');
  }

  report(): string[] {
    return [...this.series].flatMap(([name, series]) => {
      const first = series[0]!;
      const last = series.at(-1)!;
      const peak = Math.max(...series.map((m) => m.rss));
      const warm = series[Math.floor(series.length / 4)]!;
      return [
        `${name}: RSS start ${mb(first.rss)}, peak ${mb(peak)}, end ${mb(last.rss)}, ` +
          `growth ${mb(last.rss - first.rss)} (after warm-up, from ${warm.at} s: ${mb(last.rss - warm.rss)}); ` +
          `heap used start ${mb(first.heap)}, end ${mb(last.heap)}; at the end: heap total ` +
          `${mb(last.heapTotal)}, external ${mb(last.external)}` +
          (last.rssAnon === undefined ? '' : `, anonymous RSS ${mb(last.rssAnon)}`),
        `  RSS / heap: ${series.map((m) => `${m.at}s ${mb(m.rss)}/${mb(m.heap)}`).join(', ')}`,
      ];
    });
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task);
  }

  private async sample(): Promise<void> {
    const at = Math.round((Date.now() - this.started) / 1000);
    for (const p of this.measured) {
      const { rss, heapUsed, heapTotal, external, rssAnon } = (await p.memory()) as ProbeMemory;
      this.series.get(p.name)!.push({ at, rss, heap: heapUsed, heapTotal, external, rssAnon });
    }
  }

  private async snapshot(label: string): Promise<void> {
    const { dir, only } = this.snapshots;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    for (const p of this.measured) {
      if (only && p.name !== only) continue;
      const file = path.resolve(dir, `${p.name.replace(/\W+/g, '-')}-${label}.heapsnapshot`);
      console.log(`heap snapshot: ${await p.snapshot(file)}`);
    }
  }
}
