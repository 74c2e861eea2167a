/**
 * DataLoader factories for department loaders: one SQL query per batch, results put back in key
 * order. A missing row is an Error for that key alone (the rest of the batch still resolves).
 */
import DataLoader from 'dataloader';

/**
 * Keys per SQL statement: well inside both drivers' parameter limits (SQLite 32,766, PostgreSQL
 * 65,535), so even a huge entity batch becomes a few statements rather than a failed one.
 */
export const MAX_BATCH_KEYS = 2000;
const options = { maxBatchSize: MAX_BATCH_KEYS };

/** Loader for rows that exist once per key; a missing key yields an Error. */
export function rowLoader<K extends string, R>(
  what: string,
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
): DataLoader<K, R> {
  return new DataLoader<K, R>(async (keys) => {
    const rows = await fetch(dedupe(keys));
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? new Error(`${what} not found`));
  }, options);
}

/**
 * Loads a dependent loader waits for. Rows that two loaders fetch in parallel (a household's
 * damage records and its relief payments) both refer to a third table (their events): on
 * PostgreSQL the two answers arrive in different turns, and the third loader would run one query
 * per answer. Its batch waits until the loads it depends on have settled instead, so it stays one
 * query per table per request, on either database.
 */
export class LoadsInFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Wraps a fetch the dependent loader should wait for. */
  track<T>(fetch: Promise<T>): Promise<T> {
    this.pending.add(fetch);
    const settled = () => void this.pending.delete(fetch);
    fetch.then(settled, settled);
    return fetch;
  }

  /** DataLoader's batchScheduleFn: dispatch once nothing tracked is in flight, a turn later. */
  readonly schedule = (dispatch: () => void): void => {
    if (this.pending.size === 0) {
      setImmediate(dispatch);
      return;
    }
    void Promise.allSettled([...this.pending]).then(() => this.schedule(dispatch));
  };
}

/** Loader for rows that exist once per key or not at all (null, not an error). */
export function optionalRowLoader<K extends string, R>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
  /** Batches wait for these loads (see LoadsInFlight). */
  after?: LoadsInFlight,
): DataLoader<K, R | null> {
  return new DataLoader<K, R | null>(
    async (keys) => {
      const rows = await fetch(dedupe(keys));
      const byKey = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    },
    after ? { ...options, batchScheduleFn: after.schedule } : options,
  );
}

/** Loader for the rows that belong to each key (possibly none), in the fetch's order. */
export function groupLoader<K extends string, R>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => {
    const rows = await fetch(dedupe(keys));
    const groups = new Map<K, R[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  }, options);
}

function dedupe<K>(keys: readonly K[]): K[] {
  return [...new Set(keys)];
}
