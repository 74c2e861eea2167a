import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryReplayCache } from '../../subgraphs/runtime/replay-cache.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the in-memory replay cache', () => {
  it('says first use once per id, until the id expires, and forgets expired ids', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const cache = new MemoryReplayCache();
    const until = Date.now() + 20_000;
    expect(await cache.firstUse('household:a', until)).toBe(true);
    expect(await cache.firstUse('household:a', until)).toBe(false);
    expect(await cache.firstUse('household:b', until)).toBe(true);
    vi.setSystemTime(until + 1);
    // Past its life the context no longer verifies; its entry goes with the next sweep.
    expect(await cache.firstUse('household:c', until + 20_000)).toBe(true);
    expect(cache.size).toBe(1);
  });
});
