/**
 * Graceful shutdown's bookkeeping: requests in flight are counted, and a shutdown waits for them
 * (up to a deadline) before the hooks run (the audit buffer is flushed there) and connections
 * are closed. Requests that arrive on kept-alive connections once draining has begun are refused
 * with 503 and `connection: close`, so the load balancer retries them elsewhere.
 */

export class InFlightRequests {
  private count = 0;
  private draining = false;
  private idle: (() => void) | undefined;

  get size(): number {
    return this.count;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Counts a request in; the returned function counts it out (once). */
  enter(): () => void {
    this.count += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.count -= 1;
      if (this.count === 0) this.idle?.();
    };
  }

  /** Stops taking requests and waits for those in flight; false when the deadline came first. */
  async drain(deadlineMs: number): Promise<boolean> {
    this.draining = true;
    if (this.count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      new Promise<boolean>((resolve) => (this.idle = () => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs))),
    ]);
    clearTimeout(timer);
    this.idle = undefined;
    return drained;
  }
}

/** Something to do once in-flight requests are done and before the gateway closes. */
export type ShutdownHook = () => Promise<void> | void;
