/**
 * The department's memory of access-context ids it has accepted, so that each signed context
 * opens one call: a context read off the wire and sent again is refused, whatever it asks for.
 * Entries live as long as their context verifies, after which the signature check refuses it
 * anyway. In memory for one process; on Redis (redis-replay-cache.ts) when the department runs as
 * several replicas, which must all refuse an id any of them accepted.
 */
import { RedisReplayCache } from './redis-replay-cache.ts';

export interface ReplayCache {
  readonly kind: 'memory' | 'redis';
  /**
   * Records `id` until `validUntil` (ms since epoch) and says whether this was its first use.
   * Throws StoreUnavailableError when it cannot tell: the caller refuses the call (fail closed).
   */
  firstUse(id: string, validUntil: number): Promise<boolean>;
  close(): Promise<void>;
}

/** How often expired ids are dropped (a sweep walks only the expired head of the map). */
const SWEEP_INTERVAL_MS = 1000;

export class MemoryReplayCache implements ReplayCache {
  readonly kind = 'memory' as const;
  /** Id → until when it is kept; insertion order is close to expiry order (one lifetime). */
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  async firstUse(id: string, validUntil: number): Promise<boolean> {
    const now = Date.now();
    this.sweep(now);
    const kept = this.seen.get(id);
    if (kept !== undefined && kept > now) return false;
    this.seen.set(id, validUntil);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  async close(): Promise<void> {
    this.seen.clear();
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_INTERVAL_MS;
    for (const [id, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(id);
    }
  }
}

export interface ReplayCacheOptions {
  /** Prefix of the Redis keys (tests isolate themselves with it). */
  keyPrefix?: string;
}

/** Redis when a URL is configured (replicas share it), memory otherwise. */
export function createReplayCache(
  redisUrl: string | undefined,
  options: ReplayCacheOptions = {},
): ReplayCache {
  return redisUrl ? new RedisReplayCache(redisUrl, options) : new MemoryReplayCache();
}
