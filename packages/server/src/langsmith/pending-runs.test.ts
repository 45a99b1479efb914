import { describe, expect, it } from 'vitest';
import { PendingRuns } from './pending-runs.ts';

const held = (id: string) => ({ projectId: 'p', run: { id } });

describe('PendingRuns', () => {
  it('evicts the oldest run past the entry bound', () => {
    const pending = new PendingRuns({ maxRuns: 2, maxBytes: 1e9, ttlMs: 1000 });
    expect(pending.put('a', held('a'), 10)).toEqual([]);
    expect(pending.put('b', held('b'), 10)).toEqual([]);
    // Replacing a held run keeps its age: 'a' is still the oldest.
    expect(pending.put('a', held('a2'), 10)).toEqual([]);
    expect(pending.put('c', held('c'), 10)).toEqual([held('a2')]);
    expect(pending.size).toBe(2);
  });

  it('evicts past the byte bound and keeps the byte count exact', () => {
    const pending = new PendingRuns({ maxRuns: 100, maxBytes: 25, ttlMs: 1000 });
    pending.put('a', held('a'), 10);
    pending.put('b', held('b'), 10);
    expect(pending.put('c', held('c'), 10)).toEqual([held('a')]);
    expect(pending.bytes).toBe(20);
    expect(pending.take('b')).toEqual(held('b'));
    expect(pending.bytes).toBe(10);
  });

  it('expires runs past their TTL, oldest first, and drains the rest', () => {
    const pending = new PendingRuns({ maxRuns: 100, maxBytes: 1e9, ttlMs: 1000 });
    pending.put('a', held('a'), 1, 0);
    pending.put('b', held('b'), 1, 500);
    expect(pending.expire(999)).toEqual([]);
    expect(pending.expire(1000)).toEqual([held('a')]);
    expect(pending.drain()).toEqual([held('b')]);
    expect(pending.size).toBe(0);
  });
});
