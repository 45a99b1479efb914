import { describe, expect, it } from 'vitest';
import { RecentKeys, spanKey, textKey } from './dedupe.ts';

type Key = [projectId: string, traceId: string, spanId: string];

describe('spanKey (issue 11, finding 3)', () => {
  it.each([
    // Why: the old key kept 13 leading span-id digits, so these collided.
    [
      'span ids one digit apart at the end',
      ['p', 'a'.repeat(32), '0123456789abc001'],
      ['p', 'a'.repeat(32), '0123456789abc002'],
    ],
    // Why: the old key kept only the last 8 trace-id digits.
    [
      'trace ids one digit apart at the start',
      ['p', `1${'a'.repeat(31)}`, 'b'.repeat(16)],
      ['p', `2${'a'.repeat(31)}`, 'b'.repeat(16)],
    ],
    // Why: the old key ignored the project, so one tenant could suppress another's spans.
    [
      'the same ids in two projects',
      ['alpha', 'a'.repeat(32), 'b'.repeat(16)],
      ['beta', 'a'.repeat(32), 'b'.repeat(16)],
    ],
    // Why: the project and the ids must not run into each other.
    [
      'a project id that ends like an id',
      ['pa', 'a'.repeat(32), 'b'.repeat(16)],
      ['p', `a${'a'.repeat(31)}`, `a${'b'.repeat(15)}`],
    ],
  ] as [string, Key, Key][])('tells apart %s', (_why, a, b) => {
    expect(spanKey(...a)).not.toBe(spanKey(...b));
    expect(spanKey(...a)).toBe(spanKey(...a));
  });

  it('packs canonical ids into 24 characters after the project', () => {
    expect(spanKey('default', 'f'.repeat(32), 'e'.repeat(16))).toHaveLength('default'.length + 1 + 24);
  });

  it('keeps non-canonical ids as text, apart from packed keys', () => {
    expect(spanKey('p', 'xyz', 'q')).toBe('p\u0001xyz\u0001q');
  });

  it('never gives a text key that equals a span key', () => {
    expect(textKey('p')[0]).toBe('\u0002');
  });
});

describe('RecentKeys', () => {
  it('remembers up to its capacity and forgets the oldest generation', () => {
    const recent = new RecentKeys(4);
    for (const key of ['a', 'b', 'c', 'd', 'e']) recent.add(key);
    expect(recent.size).toBeLessThanOrEqual(4);
    expect(recent.has('e')).toBe(true);
    expect(recent.has('a')).toBe(false);
  });

  it('forgets a deleted key and remembers nothing at capacity 0', () => {
    const recent = new RecentKeys(10);
    recent.add('x');
    recent.delete('x');
    expect(recent.has('x')).toBe(false);
    const off = new RecentKeys(0);
    off.add('y');
    expect(off.has('y')).toBe(false);
  });
});
