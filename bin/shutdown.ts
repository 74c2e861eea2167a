/**
 * Graceful shutdown on SIGTERM or SIGINT for the long-running commands: close once (the gateway
 * drains its requests in flight and flushes the access log first), exit 0 when closed. A second
 * signal exits at once.
 */
export function closeOnSignals(close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: draining requests in flight, then closing`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed:', (error as Error)?.message);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
