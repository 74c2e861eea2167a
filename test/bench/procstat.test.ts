/**
 * The benchmark's CPU accounting from /proc: a report's per-process and whole-machine figures are
 * only as good as these readings.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cpuMs,
  cpuMsByPid,
  machineBusyMs,
  pidsNamed,
  procAvailable,
} from '../../bench/procstat.ts';

const proc = procAvailable();
if (!proc) console.warn('SKIPPED: the benchmark CPU readings need Linux /proc');

/** Spends `ms` of this thread's CPU time (not wall time: other tests share the cores). */
function burn(ms: number): void {
  const start = process.cpuUsage();
  let x = 0;
  while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1000 < ms) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + i);
  }
  expect(x).toBeGreaterThan(0);
}

describe.skipIf(!proc)('CPU readings from /proc', () => {
  it("counts this process's CPU in its own time and in the machine's", () => {
    const [own, machine] = [cpuMs(process.pid), machineBusyMs()];
    burn(300);
    const ownUsed = cpuMs(process.pid) - own;
    const machineUsed = machineBusyMs() - machine;
    // Clock ticks are 10 ms; the machine's busy time includes this process's and others'.
    expect(ownUsed).toBeGreaterThanOrEqual(250);
    expect(machineUsed).toBeGreaterThanOrEqual(ownUsed - 20);
  });

  it('finds processes by command name, this one included', () => {
    const name = readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim();
    expect(pidsNamed(name)).toContain(process.pid);
    expect(cpuMsByPid(name).get(process.pid)).toBeGreaterThan(0);
    expect(pidsNamed('no-such-process-name')).toEqual([]);
  });
});
