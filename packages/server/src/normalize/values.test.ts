/**
 * The defensive helpers every mapping relies on (rule 3.4.1–3.4.2): JSON and Python-repr
 * parsing, un-flattening, number reading, time formatting, truncation.
 */
import { describe, expect, it } from 'vitest';
import { capString } from './limits.ts';
import { parsePythonRepr } from './python-repr.ts';
import { isoFromUnixNano, MAX_UNIX_NANO, unixNanoFromIso } from './time.ts';
import { decodeMaybeJson, parseStructured, toNumber, toStringList, unflatten } from './values.ts';

describe('parseStructured / decodeMaybeJson', () => {
  it.each([
    // Why: plain JSON, the common case.
    { input: '{"a":[1,2]}', expected: { a: [1, 2] } },
    // Why: Python repr: tuples, None/True, escaped quotes, unicode escapes.
    {
      input: "{'a': (1, 2), 'b': None, 'c': True, 'd': 'it\\'s'}",
      expected: { a: [1, 2], b: null, c: true, d: "it's" },
    },
    {
      input: "[{'role': 'user', 'content': \"say \\\"hi\\\"\\n\"}]",
      expected: [{ role: 'user', content: 'say "hi"\n' }],
    },
    { input: "{'u': '\\u00e9'}", expected: { u: 'é' } },
    // Why: scalars stay text: "42" in a message attribute is content, not a number.
    { input: '42', expected: undefined },
    { input: 'hello', expected: undefined },
    { input: '{not json', expected: undefined },
  ])('$input', ({ input, expected }) => {
    expect(JSON.parse(JSON.stringify(parseStructured(input) ?? null))).toEqual(expected ?? null);
  });

  it('decodes double-encoded JSON (older Langfuse SDKs) and leaves plain text alone', () => {
    expect(decodeMaybeJson(JSON.stringify('[1,2]'))).toEqual([1, 2]);
    expect(decodeMaybeJson('"quoted"')).toBe('quoted');
    expect(decodeMaybeJson('plain')).toBe('plain');
    expect(decodeMaybeJson(7)).toBe(7);
  });

  it('cuts nesting deeper than 32 levels instead of recursing without bound', () => {
    const parsed = parseStructured(`${'['.repeat(40)}1${']'.repeat(40)}`);
    expect(JSON.stringify(parsed)).toContain('[argus: truncated, depth > 32]');
  });

  it('refuses Python literals nested too deep and trailing garbage', () => {
    expect(parsePythonRepr(`${'['.repeat(10)}${']'.repeat(10)}`, 5)).toBeUndefined();
    expect(parsePythonRepr("{'a': 1} trailing", 32)).toBeUndefined();
  });
});

describe('unflatten (rule 3.4.2)', () => {
  it('sorts indices numerically and compacts them', () => {
    const entries: [string, unknown][] = [
      ['10.message.role', 'b'],
      ['2.message.role', 'a'],
      ['2.message.tool_calls.1.id', 'y'],
      ['2.message.tool_calls.0.id', 'x'],
    ];
    expect(JSON.parse(JSON.stringify(unflatten(entries)))).toEqual([
      { message: { role: 'a', tool_calls: [{ id: 'x' }, { id: 'y' }] } },
      { message: { role: 'b' } },
    ]);
  });

  it('keeps the first value when a key is both a leaf and a prefix', () => {
    expect(
      JSON.parse(
        JSON.stringify(
          unflatten([
            ['a', 1],
            ['a.b', 2],
          ]),
        ),
      ),
    ).toEqual({ a: 1 });
  });
});

describe('scalar readers', () => {
  it.each([
    [1.5, 1.5],
    // Why: OTLP JSON int64 values are decimal strings, beyond 2^53 too (precision loss accepted).
    ['12', 12],
    ['9007199254740993', 9007199254740992],
    // Why: NaN/Infinity, as numbers or as proto3-JSON strings, are no values.
    [Number.NaN, undefined],
    ['NaN', undefined],
    ['Infinity', undefined],
    ['', undefined],
    [true, undefined],
  ])('toNumber(%j) → %j', (input, expected) => {
    expect(toNumber(input)).toBe(expected);
  });

  it.each([
    [['stop'], ['stop']],
    // Why: some SDKs send string arrays JSON-encoded, others a single string.
    ['["stop","length"]', ['stop', 'length']],
    ['stop', ['stop']],
    [[], undefined],
    [{}, undefined],
  ])('toStringList(%j) → %j', (input, expected) => {
    expect(toStringList(input)).toEqual(expected);
  });
});

describe('time', () => {
  it.each([
    // Why: the smallest, a typical and the largest storable time keep every nanosecond.
    [1n, '1970-01-01T00:00:00.000000001Z'],
    [1_795_237_434_123_456_789n, '2026-11-21T05:03:54.123456789Z'],
    [MAX_UNIX_NANO, '2262-04-11T23:47:16.854775807Z'],
  ])('isoFromUnixNano(%s)', (ns, iso) => {
    expect(isoFromUnixNano(ns)).toBe(iso);
    expect(unixNanoFromIso(iso)).toBe(ns);
  });

  it('reads ISO times with offsets and short fractions', () => {
    expect(unixNanoFromIso('2026-11-21T06:03:54.5+01:00')).toBe(1_795_237_434_500_000_000n);
    expect(unixNanoFromIso('yesterday')).toBeUndefined();
  });
});

describe('capString', () => {
  it('appends the marker with the number of removed chars and never splits a surrogate pair', () => {
    expect(capString('abcdef', 4)).toBe('abcd…[argus: truncated 2 chars]');
    expect(capString('ab😀cd', 3)).toBe('ab…[argus: truncated 4 chars]');
    expect(capString('short', 10)).toBe('short');
  });
});
