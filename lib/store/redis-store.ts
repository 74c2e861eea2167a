/**
 * The replicated store on Redis (ioredis). Commands fail fast while Redis is unreachable (no
 * offline queue, a short command timeout) so requests fail closed at once instead of hanging, and
 * the client reconnects by itself when Redis returns. Keys share one hash tag so that multi-key
 * reads also work on Redis Cluster.
 *
 * The revocation view is trusted only while a marker key names the running Redis server (its
 * `run_id`, new at every start): a Redis that restarted, empty or from an older snapshot, fails
 * the marker, and the view is rebuilt from the database before any consent is honoured again.
 * The marker travels in the same MGET as the consent ids, so the check costs no round trip.
 */
import { Redis } from 'ioredis';
import { failFastRedisOptions } from './redis-options.ts';
import {
  RevocationViewStaleError,
  StoreUnavailableError,
  type CounterHit,
  type CounterState,
  type KeptRevocation,
  type RevocationRecord,
  type SharedStore,
} from './shared-store.ts';

const key = (consentId: string) => `{gd}:consent:revoked:${consentId}`;
/** Holds the run_id of the Redis server the view was last rebuilt on. */
export const REVOCATION_VIEW_KEY = '{gd}:consent:revocations-view';
/** Revocations per pipelined round trip while the view is rebuilt. */
const LOAD_BATCH = 1000;
const counterKey = (name: string) => `{gd}:counter:${name}`;

/**
 * Fixed-window counters in one atomic step: INCR each key, start its window (PEXPIRE) on the
 * first hit or when it somehow has no expiry, and return count and remaining time per key.
 * ARGV holds each key's window in ms, in KEYS order.
 */
const HIT_COUNTERS_LUA = `
local result = {}
for i, k in ipairs(KEYS) do
  local count = redis.call('INCR', k)
  local ttl = redis.call('PTTL', k)
  if count == 1 or ttl < 0 then
    redis.call('PEXPIRE', k, ARGV[i])
    ttl = tonumber(ARGV[i])
  end
  result[#result + 1] = count
  result[#result + 1] = ttl
end
return result
`;

type CountingRedis = Redis & {
  hitCounters(...args: (string | number)[]): Promise<number[]>;
};

export class RedisStore implements SharedStore {
  readonly kind = 'redis' as const;
  private readonly redis: CountingRedis;
  /** The connected server's run_id, asked once per connection. */
  private serverRunId: Promise<string> | undefined;

  constructor(url: string, options: { commandTimeoutMs?: number } = {}) {
    this.redis = new Redis(url, {
      ...failFastRedisOptions(options.commandTimeoutMs),
      lazyConnect: false,
    }) as CountingRedis;
    // EVALSHA with a fallback to EVAL: the script travels once per connection.
    this.redis.defineCommand('hitCounters', { lua: HIT_COUNTERS_LUA });
    // Connection errors surface as failed commands; without a listener ioredis logs them.
    this.redis.on('error', () => undefined);
    // The next connection may reach another server (a restarted one): ask it its run_id anew.
    this.redis.on('close', () => (this.serverRunId = undefined));
  }

  private runId(): Promise<string> {
    this.serverRunId ??= this.run(() => this.redis.info('server')).then(
      (info) => {
        const runId = /^run_id:(\w+)/m.exec(info)?.[1];
        if (!runId) throw new StoreUnavailableError(new Error('INFO server names no run_id'));
        return runId;
      },
      (error: unknown) => {
        this.serverRunId = undefined;
        throw error;
      },
    );
    return this.serverRunId;
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
    const runId = await this.runId();
    const [view, ...values] = await this.run(() =>
      this.redis.mget(REVOCATION_VIEW_KEY, ...consentIds.map(key)),
    );
    if (view !== runId) throw new RevocationViewStaleError();
    return new Set(consentIds.filter((_, i) => values[i] !== null));
  }

  async loadRevocations(revocations: readonly KeptRevocation[]): Promise<void> {
    // Asked first: if Redis restarts during the load, the marker names the old server and the
    // view is rebuilt again.
    const runId = await this.runId();
    const now = Date.now();
    for (let from = 0; from < revocations.length; from += LOAD_BATCH) {
      const pipeline = this.redis.pipeline();
      for (const { record, expiresAt } of revocations.slice(from, from + LOAD_BATCH)) {
        if (expiresAt <= now) continue;
        pipeline.set(key(record.consentId), JSON.stringify(record), 'PX', expiresAt - now, 'NX');
      }
      const results = await this.run(() => pipeline.exec());
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw new StoreUnavailableError(failed?.[0]);
    }
    await this.run(() => this.redis.set(REVOCATION_VIEW_KEY, runId));
  }

  async revocation(consentId: string): Promise<RevocationRecord | null> {
    const value = await this.run(() => this.redis.get(key(consentId)));
    return value ? (JSON.parse(value) as RevocationRecord) : null;
  }

  async hitCounters(hits: readonly CounterHit[]): Promise<CounterState[]> {
    if (hits.length === 0) return [];
    const keys = hits.map((h) => counterKey(h.key));
    const reply = await this.run(() =>
      this.redis.hitCounters(keys.length, ...keys, ...hits.map((h) => h.windowMs)),
    );
    return hits.map((_, i) => ({
      count: Number(reply[2 * i]),
      resetInMs: Math.max(0, Number(reply[2 * i + 1])),
    }));
  }

  async ping(): Promise<void> {
    await this.run(() => this.redis.ping());
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
