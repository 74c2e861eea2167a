/**
 * `node --import tsx bin/memory-probe.ts <script> [args]`: runs <script> as if started directly,
 * and answers the process that started it (bin/soak-processes.ts), over the IPC channel, with this
 * process's memory or a heap snapshot. Only the soak runs it. (A wrapper rather than a second
 * `--import`: on Node 20 a module imported next to tsx's may load before tsx's hooks apply.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';

export type ProbeRequest = { kind: 'memory' } | { kind: 'snapshot'; file: string };
export interface ProbeMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Linux: RSS in anonymous memory (heaps, malloc) and in mapped files (code, libraries). */
  rssAnon?: number;
  rssFile?: number;
}

function linuxRss(): Pick<ProbeMemory, 'rssAnon' | 'rssFile'> {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024;
    return { rssAnon: kb('RssAnon'), rssFile: kb('RssFile') };
  } catch {
    return {};
  }
}

if (process.send) {
  process.on('message', (message: ProbeRequest) => {
    if (message.kind === 'memory') {
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      const measured = { rss, heapUsed, heapTotal, external, arrayBuffers, ...linuxRss() };
      process.send!(measured satisfies ProbeMemory);
    } else if (message.kind === 'snapshot') {
      process.send!({ file: v8.writeHeapSnapshot(message.file) });
    }
  });
  // After the listener (adding one refs the channel): the channel must not keep alive a process
  // that would otherwise exit (SIGTERM's drain).
  process.channel?.unref();
}

// The wrapped script reads its own arguments from process.argv: take this file's place out.
const script = process.argv[2];
if (!script) throw new Error('usage: memory-probe.ts <script> [args]');
process.argv.splice(1, 1);
await import(pathToFileURL(path.resolve(script)).href);
