/**
 * The child side of the harness: every server under test runs in its own process, so that its
 * CPU time and memory can be read from /proc for that process alone. The parent passes the
 * configuration as JSON in BENCH_CHILD and talks over the IPC channel.
 */

export function childConfig<T>(): T {
  const raw = process.env.BENCH_CHILD;
  if (!raw) throw new Error('BENCH_CHILD is not set: this file is started by bench/run.ts');
  return JSON.parse(raw) as T;
}

export function sendToParent(message: unknown): void {
  if (!process.send) throw new Error('no IPC channel: this file is started by bench/run.ts');
  process.send(message);
}

/**
 * Stops cleanly when the parent says so (or goes away): a normal exit is what makes
 * `node --cpu-prof` write its profile, which a kill would lose.
 */
export function stopWhenAsked(close: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    close()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(0));
  };
  process.on('message', (message) => {
    if ((message as { stop?: boolean } | null)?.stop) stop();
  });
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Runs a child's main function, reporting a failure to the parent before exiting. */
export function runChild(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    try {
      sendToParent({ error: message });
    } catch {
      console.error(message);
    }
    process.exit(1);
  });
}
