/**
 * A circuit breaker (one per department, one for the shared store), so that a dead dependency
 * costs no waiting: after `failureThreshold` consecutive failures calls are refused at once for
 * `cooldownMs`; then one call is let through as a probe (half-open): its success closes the
 * circuit, its failure opens it for another cool-down. Per replica: each gateway learns from its
 * own calls.
 *
 * Each call holds a permit that says in which period of the circuit it started. Only calls of the
 * current period count: a hung dependency's calls that started before the circuit opened fail
 * late, during the cool-down or the probe, and must neither push the cool-down further out nor
 * re-open a circuit that only the probe's own result may close or re-open.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  /** Told on every change of state (logs, metrics). */
  onStateChange?: (state: CircuitState) => void;
  now?: () => number;
}

/** Leave to make one call; hand it back through succeeded, failed or released. */
export interface CircuitPermit {
  readonly period: number;
  readonly probe: boolean;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private current: CircuitState = 'closed';
  /** Counts changes of state: a permit of an earlier period says nothing about the current. */
  private period = 0;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    return this.current;
  }

  /** A permit if a call may go out now (in half-open state, one probe at a time), else null. */
  allow(): CircuitPermit | null {
    if (this.current === 'closed') return { period: this.period, probe: false };
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.options.cooldownMs) return null;
      this.transition('half-open');
    }
    if (this.probing) return null;
    this.probing = true;
    return { period: this.period, probe: true };
  }

  succeeded(permit: CircuitPermit): void {
    if (!this.isCurrent(permit)) return;
    this.failures = 0;
    if (permit.probe) {
      this.probing = false;
      this.transition('closed');
    }
  }

  /** The call ended without saying anything about the dependency (it was never sent). */
  released(permit: CircuitPermit): void {
    if (this.isCurrent(permit) && permit.probe) this.probing = false;
  }

  failed(permit: CircuitPermit): void {
    if (!this.isCurrent(permit)) return;
    if (permit.probe) {
      this.probing = false;
      this.open();
      return;
    }
    this.failures += 1;
    if (this.failures >= this.options.failureThreshold) this.open();
  }

  private isCurrent(permit: CircuitPermit): boolean {
    return permit.period === this.period;
  }

  /** The cool-down starts here, once per opening. */
  private open(): void {
    this.openedAt = this.now();
    this.transition('open');
  }

  private transition(state: CircuitState): void {
    this.current = state;
    this.period += 1;
    if (state === 'closed') this.failures = 0;
    this.options.onStateChange?.(state);
  }
}
