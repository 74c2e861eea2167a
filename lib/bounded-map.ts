/**
 * A Map that holds at most `limit` entries and forgets the oldest first (insertion order). The
 * platform's in-process caches (verified caller tokens and consents, clients' persisted
 * documents, operation-text hashes, prepared SQLite statements) are all keyed by what callers
 * send or by what plans produce: bounded, so that endless distinct inputs cannot grow memory.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.limit) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }

  /** The entry's value, now the most recently used (forgotten last): for least-recently-used eviction. */
  touch(key: K): V | undefined {
    if (!this.has(key)) return undefined;
    const value = this.get(key)!;
    this.delete(key);
    super.set(key, value);
    return value;
  }
}
