/**
 * Rate limits per department and per client system, counted in fixed windows in the shared store
 * so that every gateway replica counts against the same numbers. Checked right after the caller
 * is authenticated, before consents are verified or the body is read: a limited client costs one
 * token verification and one store round trip.
 *
 * When the shared store cannot be reached, counting falls back to this replica's memory (fail
 * open, with the same limits per replica): rate limiting protects capacity, not personal data,
 * and failing closed would turn a Redis outage into a refusal of every request, emergency access
 * included. docs/operations.md records the decision.
 */
import { createHash } from 'node:crypto';
import type { Caller } from '../../schema/access.ts';
import { ErrorCode, PlatformError } from '../../schema/errors.ts';
import { MemoryStore, type CounterState, type SharedStore } from '../../lib/store/index.ts';

export type RateLimitScope = 'department' | 'client';

export interface RateLimitOptions {
  store: SharedStore;
  windowSeconds: number;
  /** Requests per window per department; 0 turns it off. */
  perDepartment: number;
  /** Requests per window per client system; 0 turns it off. */
  perClient: number;
  /** Prefix of the counters' names (tests isolate themselves with it). */
  namespace?: string;
  /** Told when the shared store failed and this replica counted alone. */
  onStoreUnavailable?: (error: unknown) => void;
  /** Told about every refusal. */
  onLimited?: (scope: RateLimitScope) => void;
}

export class RateLimitedError extends PlatformError {
  constructor(
    readonly scope: RateLimitScope,
    readonly retryAfterSeconds: number,
  ) {
    super(
      ErrorCode.RATE_LIMITED,
      `Too many requests from this ${scope === 'department' ? 'department' : 'client system'}: retry after ${retryAfterSeconds} s`,
      { extensions: { retryAfterSeconds, scope } },
    );
  }
}

/** Client keys are hashed: a citizen's client id is an identity number. */
const clientKey = (caller: Caller) =>
  createHash('sha256').update(`${caller.dept}\0${caller.sub}`).digest('base64url').slice(0, 22);

export type RateLimiter = (caller: Caller) => Promise<void>;

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const windowMs = options.windowSeconds * 1000;
  const namespace = options.namespace ?? 'rl';
  const fallback = new MemoryStore();
  const limits: { scope: RateLimitScope; max: number; key: (c: Caller) => string }[] = [
    { scope: 'department', max: options.perDepartment, key: (c) => `dept:${c.dept}` },
    { scope: 'client', max: options.perClient, key: clientKey },
  ];
  const active = limits.filter((l) => l.max > 0);

  const count = async (caller: Caller): Promise<CounterState[]> => {
    const hits = active.map((l) => ({ key: `${namespace}:${l.key(caller)}`, windowMs }));
    try {
      return await options.store.hitCounters(hits);
    } catch (error) {
      options.onStoreUnavailable?.(error);
      return fallback.hitCounters(hits);
    }
  };

  return async (caller) => {
    if (active.length === 0) return;
    const states = await count(caller);
    let refusal: RateLimitedError | undefined;
    for (const [i, limit] of active.entries()) {
      const state = states[i]!;
      if (state.count <= limit.max) continue;
      const retryAfter = Math.max(1, Math.ceil(state.resetInMs / 1000));
      if (!refusal || retryAfter > refusal.retryAfterSeconds)
        refusal = new RateLimitedError(limit.scope, retryAfter);
    }
    if (refusal) {
      options.onLimited?.(refusal.scope);
      throw refusal;
    }
  };
}
