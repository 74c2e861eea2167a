/**
 * How every Redis client of the platform connects: commands fail fast while Redis is unreachable
 * (no offline queue, no retries, a short timeout), so a caller can fail closed at once instead of
 * queueing requests behind a dead connection; the client reconnects in the background.
 */
import type { RedisOptions } from 'ioredis';

export function failFastRedisOptions(commandTimeoutMs = 500): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
  };
}
