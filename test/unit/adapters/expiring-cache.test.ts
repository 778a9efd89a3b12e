import { describe, expect, it } from 'vitest';
import { ExpiringCache } from '../../../shared/adapters/expiring-cache';

describe('ExpiringCache', () => {
  it('answers a value until its lifetime has passed, and not for a clock that moved back', () => {
    // Prepare
    const cache = new ExpiringCache<string>(1_000);
    cache.set('a', 'one', 10_000);
    // Act / Assess
    expect(cache.get('a', 10_999)).toBe('one');
    expect(cache.get('a', 9_999)).toBeUndefined();
    cache.set('a', 'one', 10_000);
    expect(cache.get('a', 11_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets the oldest set first past its size, counting a value set again as new', () => {
    // Prepare
    const cache = new ExpiringCache<number>(60_000, 2);
    cache.set('a', 1, 0);
    cache.set('b', 2, 1);
    cache.set('a', 3, 2);
    // Act
    cache.set('c', 4, 3);
    // Assess
    expect([cache.get('a', 4), cache.get('b', 4), cache.get('c', 4)]).toEqual([3, undefined, 4]);
  });

  it('deleteIf leaves a newer value alone', () => {
    // Prepare
    const cache = new ExpiringCache<string>(60_000);
    cache.set('a', 'old', 0);
    cache.set('a', 'new', 1);
    // Act
    cache.deleteIf('a', 'old');
    // Assess
    expect(cache.get('a', 2)).toBe('new');
    cache.deleteIf('a', 'new');
    expect(cache.get('a', 2)).toBeUndefined();
  });
});
