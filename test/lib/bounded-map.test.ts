import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../lib/bounded-map.ts';

describe('BoundedMap', () => {
  it('forgets the oldest entry beyond its limit, and none when a kept key is set again', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    map.set('a', 10); // already kept: nothing is forgotten
    expect([...map]).toEqual([
      ['a', 10],
      ['b', 2],
    ]);
    map.set('c', 3);
    expect([...map.keys()]).toEqual(['b', 'c']);
    expect(map.size).toBe(2);
  });

  it('touch makes an entry the last to be forgotten', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    expect(map.touch('a')).toBe(1);
    expect(map.touch('missing')).toBeUndefined();
    map.set('c', 3);
    expect([...map.keys()]).toEqual(['a', 'c']);
  });
});
