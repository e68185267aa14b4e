import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../functions/domain/bounded-cache.ts';
import { AccessCache, MUTABLE_TTL_MS } from '../../functions/domain/licences/access-cache.ts';

describe('BoundedCache', () => {
  it('never holds more than its bound, evicting the least recently used entry', () => {
    // Arrange: a full cache of 3, with `a` read last
    const cache = new BoundedCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1);

    // Act: 100 more entries
    cache.set('d', 4);
    expect(cache.get('b')).toBeUndefined();
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, i);

    // Assert: `b` went first (least recently used), and the size stayed at the bound throughout
    expect(cache.size).toBe(3);
    expect(cache.get('k99')).toBe(99);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps the most recently read entry over an older write', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('forgets an entry once its time to live has passed, and a read does not extend it', () => {
    let now = 1_000;
    const cache = new BoundedCache<string, number>(10, { ttlMs: 50, now: () => now });
    cache.set('a', 1);
    now += 49;
    expect(cache.get('a')).toBe(1);
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('refuses a bound below one', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });
});

describe('AccessCache', () => {
  it('bounds each of its parts by its own size, and times out licences and datasets only', () => {
    let now = 0;
    const cache = new AccessCache({ sizes: { licences: 2, datasets: 2, versions: 3, plans: 4 }, now: () => now });
    for (let i = 0; i < 10; i++) {
      cache.licences.set(`lic${i}`, { licence: {} as never, revision: i });
      cache.datasets.set(`ds${i}`, {} as never);
      cache.versions.set(`ds#${i}`, {} as never);
      cache.plans.set(`plan${i}`, { none: true });
    }
    expect([cache.licences.size, cache.datasets.size, cache.versions.size, cache.plans.size]).toEqual([2, 2, 3, 4]);
    now += MUTABLE_TTL_MS;
    expect([cache.licences.get('lic9'), cache.datasets.get('ds9')]).toEqual([undefined, undefined]);
    expect(cache.versions.get('ds#9')).toBeDefined();
    expect(cache.plans.get('plan9')).toEqual({ none: true });
  });
});
