/**
 * The replay cache on Redis, shared by every replica of a department: one `SET key 1 NX PX ttl`
 * per call, which both records the id and says whether it was there (atomically, so two replicas
 * handed the same context at once cannot both accept it). Commands fail fast while Redis is
 * unreachable (no offline queue, a short timeout), and the department then refuses calls.
 */
import { Redis } from 'ioredis';
import { failFastRedisOptions } from '../../lib/store/redis-options.ts';
import { StoreUnavailableError } from '../../lib/store/shared-store.ts';
import type { ReplayCache, ReplayCacheOptions } from './replay-cache.ts';

export class RedisReplayCache implements ReplayCache {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(url: string, options: ReplayCacheOptions & { commandTimeoutMs?: number } = {}) {
    // The same hash tag as the shared store's keys, so one Redis Cluster slot serves both.
    this.prefix = `{gd}:access-context:seen:${options.keyPrefix ?? ''}`;
    this.redis = new Redis(url, failFastRedisOptions(options.commandTimeoutMs));
    // Connection errors surface as failed commands; without a listener ioredis logs them.
    this.redis.on('error', () => undefined);
  }

  async firstUse(id: string, validUntil: number): Promise<boolean> {
    const ttl = Math.max(1, validUntil - Date.now());
    try {
      return (await this.redis.set(`${this.prefix}${id}`, '1', 'PX', ttl, 'NX')) === 'OK';
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  /** Resolves once Redis answers (the client connects in the background). */
  async ping(): Promise<void> {
    try {
      await this.redis.ping();
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
