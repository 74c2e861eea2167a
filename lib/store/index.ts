/** Picks the shared store: Redis when a URL is configured, memory otherwise. */
import { MemoryStore } from './memory-store.ts';
import { RedisStore } from './redis-store.ts';
import type { SharedStore } from './shared-store.ts';

export function createSharedStore(redisUrl: string | undefined): SharedStore {
  return redisUrl ? new RedisStore(redisUrl) : new MemoryStore();
}

export { MemoryStore, RedisStore };
export * from './shared-store.ts';
