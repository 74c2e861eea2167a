/**
 * The replicated store on Redis (ioredis). Commands fail fast while Redis is unreachable (no
 * offline queue, a short command timeout) so requests fail closed at once instead of hanging, and
 * the client reconnects by itself when Redis returns. Keys share one hash tag so that multi-key
 * reads also work on Redis Cluster.
 */
import { Redis } from 'ioredis';
import { StoreUnavailableError, type RevocationRecord, type SharedStore } from './shared-store.ts';

const key = (consentId: string) => `{gd}:consent:revoked:${consentId}`;

export class RedisStore implements SharedStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;

  constructor(url: string, options: { commandTimeoutMs?: number } = {}) {
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
      lazyConnect: false,
    });
    // Connection errors surface as failed commands; without a listener ioredis logs them.
    this.redis.on('error', () => undefined);
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  async revokeConsent(record: RevocationRecord, expiresAt: number): Promise<void> {
    const ttl = Math.max(1000, expiresAt - Date.now());
    // NX: the first revocation (time, who, why) is the one kept.
    await this.run(() =>
      this.redis.set(key(record.consentId), JSON.stringify(record), 'PX', ttl, 'NX'),
    );
  }

  async revokedAmong(consentIds: readonly string[]): Promise<Set<string>> {
    if (consentIds.length === 0) return new Set();
    const values = await this.run(() => this.redis.mget(consentIds.map(key)));
    return new Set(consentIds.filter((_, i) => values[i] !== null));
  }

  async revocation(consentId: string): Promise<RevocationRecord | null> {
    const value = await this.run(() => this.redis.get(key(consentId)));
    return value ? (JSON.parse(value) as RevocationRecord) : null;
  }

  async ping(): Promise<void> {
    await this.run(() => this.redis.ping());
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
