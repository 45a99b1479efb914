import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, setConfig } from './config.ts';
import { captureText, toJsonText, truncate } from './serialize.ts';

afterEach(() => setConfig(undefined));

describe('toJsonText', () => {
  it.each([
    ['plain data', { a: [1, 'two', true, null] }, '{"a":[1,"two",true,null]}'],
    // JSON has no form for these; each gets a readable stand-in instead of throwing.
    ['bigint', { n: 10n }, '{"n":"10"}'],
    ['non-finite numbers', [Number.NaN, Number.POSITIVE_INFINITY], '[null,null]'],
    ['undefined and functions in objects are dropped', { a: undefined, f: () => 1, b: 2 }, '{"b":2}'],
    ['errors', new TypeError('bad'), '{"name":"TypeError","message":"bad"}'],
    ['maps and sets', { m: new Map([['k', 1]]), s: new Set([1, 2]) }, '{"m":{"k":1},"s":[1,2]}'],
    ['binary data', { buf: new Uint8Array(5) }, '{"buf":"[Uint8Array 5 bytes]"}'],
    ['dates via toJSON', new Date('2025-01-02T03:04:05Z'), '"2025-01-02T03:04:05.000Z"'],
  ])('%s', (_name, value, expected) => {
    expect(toJsonText(value, 1000)).toBe(expected);
  });

  it('marks cycles but keeps repeated references', () => {
    const shared = { x: 1 };
    const loop: Record<string, unknown> = { shared, again: shared };
    loop.self = loop;
    expect(toJsonText(loop, 1000)).toBe('{"shared":{"x":1},"again":{"x":1},"self":"[Circular]"}');
  });

  it('stops at the budget, even for huge values', () => {
    const huge = Array.from({ length: 1_000_000 }, (_, i) => ({ i, text: 'lorem ipsum' }));
    const text = toJsonText(huge, 500);
    expect(text.length).toBeLessThan(600);
    expect(text).toMatch(/…\[truncated \d+ chars\]$/);
  });

  it('survives throwing getters', () => {
    const tricky = {
      ok: 1,
      get bad(): never {
        throw new Error('getter');
      },
    };
    expect(() => toJsonText(tricky, 100)).not.toThrow();
  });
});

describe('captureText', () => {
  it('keeps strings as text and serializes the rest as JSON', () => {
    expect(captureText('hello')).toEqual({ text: 'hello', mimeType: 'text/plain' });
    expect(captureText('hello', true)).toEqual({ text: '"hello"', mimeType: 'application/json' });
    expect(captureText({ a: 1 })).toEqual({ text: '{"a":1}', mimeType: 'application/json' });
  });

  it('redacts and truncates at maxContentChars', () => {
    setConfig(resolveConfig({ maxContentChars: 20, redact: (t) => t.replaceAll('secret', '***') }, {}));
    expect(captureText('my secret').text).toBe('my ***');
    expect(captureText('x'.repeat(50)).text).toBe(`${'x'.repeat(20)}…[truncated 30 chars]`);
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair', () => {
    expect(truncate('ab😀cd', 3)).toBe('ab…[truncated 4 chars]');
  });
});
