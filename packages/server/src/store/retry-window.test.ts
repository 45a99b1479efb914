import { describe, expect, it } from 'vitest';
import { RowWindow, SpanWindow } from './retry-window.ts';

const T = 'a'.repeat(32);
const S = 'b'.repeat(16);

describe('SpanWindow (issue 11, finding 3)', () => {
  it.each([
    // Why: the old key kept 13 leading span-id digits, so these collided.
    [
      'span ids one digit apart at the end',
      { projectId: 'p', traceId: T, spanId: '0123456789abc001' },
      { projectId: 'p', traceId: T, spanId: '0123456789abc002' },
    ],
    // Why: the old key kept only the last 8 trace-id digits.
    [
      'trace ids one digit apart at the start',
      { projectId: 'p', traceId: `1${T.slice(1)}`, spanId: S },
      { projectId: 'p', traceId: `2${T.slice(1)}`, spanId: S },
    ],
    // Why: the old key ignored the project, so one tenant could suppress another's spans.
    [
      'the same ids in two projects',
      { projectId: 'alpha', traceId: T, spanId: S },
      { projectId: 'beta', traceId: T, spanId: S },
    ],
  ])('tells apart %s', (_why, a, b) => {
    const window = new SpanWindow(100);
    window.add(a);
    expect(window.has(a)).toBe(true);
    expect(window.has(b)).toBe(false);
  });

  it('keeps at most its capacity, dropping the oldest generation', () => {
    const window = new SpanWindow(1000);
    const spans = Array.from({ length: 1600 }, (_, i) => ({
      projectId: 'p',
      traceId: i.toString(16).padStart(32, '0'),
      spanId: S,
    }));
    for (const span of spans) window.add(span);
    expect(window.size).toBeLessThanOrEqual(1000);
    expect(window.has(spans[1599]!)).toBe(true);
    expect(window.has(spans[0]!)).toBe(false);
  });

  it('forgets deleted spans without losing their probe neighbours', () => {
    // A small table full of keys: deletions shift later members of a probe run back.
    const window = new SpanWindow(64);
    const spans = Array.from({ length: 32 }, (_, i) => ({
      projectId: 'p',
      traceId: T,
      spanId: i.toString(16).padStart(16, '0'),
    }));
    for (const span of spans) window.add(span);
    for (let i = 0; i < 32; i += 3) window.delete(spans[i]!);
    expect(spans.map((span) => window.has(span))).toEqual(spans.map((_, i) => i % 3 !== 0));
    expect(window.size).toBe(32 - 11);
  });

  it('agrees with a plain set under random adds and deletes within one generation', () => {
    const window = new SpanWindow(2000);
    const reference = new Set<string>();
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let step = 0; step < 5000; step++) {
      const spanId = (next() % 600).toString(16).padStart(16, '0');
      const span = { projectId: next() % 2 ? 'a' : 'b', traceId: T, spanId };
      const key = `${span.projectId}/${spanId}`;
      if (next() % 3 === 0) {
        window.delete(span);
        reference.delete(key);
      } else if (reference.size < 900) {
        window.add(span);
        reference.add(key);
      }
      expect(window.has(span)).toBe(reference.has(key));
    }
    expect(window.size).toBe(reference.size);
  });

  it('remembers nothing at capacity 0', () => {
    const window = new SpanWindow(0);
    window.add({ projectId: 'p', traceId: T, spanId: S });
    expect(window.has({ projectId: 'p', traceId: T, spanId: S })).toBe(false);
  });
});

describe('RowWindow', () => {
  it('remembers rows by their whole text, project included, up to its capacity', () => {
    const recent = new RowWindow(4);
    recent.add('default\tx');
    expect(recent.has('default\tx')).toBe(true);
    expect(recent.has('other\tx')).toBe(false);
    for (const row of ['a', 'b', 'c', 'd', 'e']) recent.add(row);
    expect(recent.size).toBeLessThanOrEqual(4);
    expect(recent.has('e')).toBe(true);
    expect(recent.has('default\tx')).toBe(false);
    recent.delete('e');
    expect(recent.has('e')).toBe(false);
  });
});
