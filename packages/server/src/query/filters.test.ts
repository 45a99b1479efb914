import { describe, expect, it } from 'vitest';
import { ArgusError } from '../errors.ts';
import { encodeCursor } from './cursor.ts';
import { DEFAULT_WINDOW_MS, parseSpanFilters, textTokens } from './filters.ts';
import { parseSeriesParams } from './series.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const parse = (query: string) =>
  parseSpanFilters(new URLSearchParams(query), { nowMs: NOW, cursorList: 'traces' });
const errorOf = (fn: () => unknown): ArgusError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ArgusError) return error;
    throw error;
  }
  throw new Error('expected an ArgusError');
};
const TRACE_ID = '0123456789abcdef0123456789abcdef';

describe('parseSpanFilters', () => {
  it('defaults to the last 24 hours, 50 items and no filters', () => {
    expect(parse('')).toEqual({
      fromMs: NOW - DEFAULT_WINDOW_MS,
      toMs: NOW,
      services: [],
      environments: [],
      models: [],
      providers: [],
      kinds: [],
      statuses: [],
      userIds: [],
      sessionIds: [],
      tags: [],
      outputFlags: [],
      qTokens: [],
      limit: 50,
    });
  });

  it.each([
    ['2025-01-15T10:00:00Z', Date.UTC(2025, 0, 15, 10)],
    ['2025-01-15T10:00:00', Date.UTC(2025, 0, 15, 10)], // no zone = UTC, never the server's zone
    ['2025-01-15 10:00', Date.UTC(2025, 0, 15, 10)],
    ['2025-01-15', Date.UTC(2025, 0, 15)],
    ['2025-01-15T12:00:00+02:00', Date.UTC(2025, 0, 15, 10)],
    ['2025-01-15T10:00:00.123456789Z', Date.UTC(2025, 0, 15, 10) + 123], // nanoseconds truncated to ms
    [String(Date.UTC(2025, 0, 15, 10)), Date.UTC(2025, 0, 15, 10)], // epoch milliseconds
  ])('reads from=%s', (raw, expected) => {
    expect(parse(`from=${encodeURIComponent(raw)}`).fromMs).toBe(expected);
  });

  it('parses every filter, repeated values meaning any of', () => {
    const filters = parse(
      'service=a&service=b&environment=prod&model=gpt-4o&provider=openai&kind=llm&kind=tool&status=error' +
        '&userId=u1&sessionId=s1&tag=t1&minDurationMs=10.5&maxDurationMs=20&minCostUsd=0.01&q=Hello%20World&limit=7',
    );
    expect(filters).toMatchObject({
      services: ['a', 'b'],
      environments: ['prod'],
      models: ['gpt-4o'],
      providers: ['openai'],
      kinds: ['llm', 'tool'],
      statuses: ['error'],
      userIds: ['u1'],
      sessionIds: ['s1'],
      tags: ['t1'],
      minDurationMs: 10.5,
      maxDurationMs: 20,
      minCostUsd: 0.01,
      q: 'Hello World',
      qTokens: ['hello', 'world'],
      limit: 7,
    });
  });

  it('decodes a cursor of its own list', () => {
    const cursor = encodeCursor('traces', { timeNs: '1736935200000000000', id: TRACE_ID });
    expect(parse(`cursor=${cursor}`).cursor).toEqual({ timeNs: '1736935200000000000', id: TRACE_ID });
  });

  const long = 'x'.repeat(257);
  it.each([
    [
      'from=yesterday',
      'from',
      "Invalid parameter 'from': 'yesterday' is not an ISO 8601 time or epoch milliseconds",
    ],
    ['to=2025-13-45T00:00:00Z', 'to', 'is not an ISO 8601 time'],
    ['from=2025-01-16T00:00:00Z', 'from', "is after 'to'"],
    ['from=2024-01-01', 'from', 'the most is 31 days'],
    ['from=1&from=2', 'from', 'give it once'],
    ['kind=robot', 'kind', "'robot' is not a span kind"],
    ['status=fine', 'status', 'is not one of ok, error, unset'],
    ['limit=0', 'limit', 'is not an integer from 1 to 1000'],
    ['limit=1001', 'limit', 'is not an integer from 1 to 1000'],
    ['limit=1.5', 'limit', 'is not an integer'],
    ['limit=ten', 'limit', 'is not an integer'],
    ['minDurationMs=-1', 'minDurationMs', 'is not a non-negative number'],
    ['maxDurationMs=abc', 'maxDurationMs', 'is not a non-negative number'],
    ['minCostUsd=1e3', 'minCostUsd', 'is not a non-negative number of US dollars'],
    ['minDurationMs=10&maxDurationMs=5', 'minDurationMs', 'is greater than maxDurationMs'],
    [`q=${'a'.repeat(201)}`, 'q', 'the most is 200'],
    ['q=%21%21%21', 'q', 'contains no letters or digits'],
    ['service=', 'service', 'is not a non-empty value'],
    [`userId=${long}`, 'userId', 'of at most 256 characters'],
    [Array.from({ length: 101 }, () => 'model=m').join('&'), 'model', 'the most is 100'],
    ['cursor=not*base64', 'cursor', 'is not a base64url cursor'],
    ['cursor=eyJhIjoxfQ', 'cursor', 'is not a cursor returned by this API'],
    [`cursor=${encodeCursor('spans', { timeNs: '1', id: '0123456789abcdef' })}`, 'cursor', 'of another list'],
    [`cursor=${encodeCursor('traces', { timeNs: '-1', id: TRACE_ID })}`, 'cursor', 'has an invalid time'],
    [`cursor=${encodeCursor('traces', { timeNs: '1', id: "x' OR 1=1" })}`, 'cursor', 'has an invalid id'],
    [`cursor=${encodeCursor('traces', { timeNs: '1', id: TRACE_ID })}==`, 'cursor', 'base64url'],
  ])('rejects ?%s naming %s', (query, param, message) => {
    const error = errorOf(() => parse(query));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.status).toBe(400);
    expect(error.message).toContain(`'${param}'`);
    expect(error.message).toContain(message);
  });

  it('rejects unknown parameters and suggests the closest name', () => {
    const error = errorOf(() => parse('modle=gpt-4o'));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/^Unknown parameter 'modle'; did you mean 'model'\?/);
  });

  it('rejects paging parameters on endpoints that do not page', () => {
    const error = errorOf(() => parseSeriesParams(new URLSearchParams('cursor=abc'), { nowMs: NOW }));
    expect(error.message).toContain("Unknown parameter 'cursor'");
  });

  it('accepts only the window on window-only endpoints', () => {
    const options = { nowMs: NOW, cursorList: 'traces' as const, windowOnly: true };
    expect(parseSpanFilters(new URLSearchParams('from=2025-01-15&limit=5'), options).limit).toBe(5);
    expect(errorOf(() => parseSpanFilters(new URLSearchParams('model=x'), options)).message).toContain(
      "Unknown parameter 'model'",
    );
  });

  it('honours a configured largest window', () => {
    const options = { nowMs: NOW, maxWindowMs: 3600_000 };
    expect(errorOf(() => parseSpanFilters(new URLSearchParams(''), options)).message).toContain(
      'is 24 hours; the most is 1 hour',
    );
  });
});

describe('textTokens', () => {
  it.each([
    ['Hello, World!', ['hello', 'world']],
    ['foo_bar x1y2 foo', ['foo', 'bar', 'x1y2']], // underscore separates, duplicates dropped
    ['ÄBC café', ['Äbc', 'café']], // non-ASCII stays in tokens and keeps its case, like ClickHouse lower()
    ["' OR 1=1 --", ['or', '1']],
  ])('splits %j like splitByNonAlpha on lower()', (text, expected) => {
    expect(textTokens(text)).toEqual(expected);
  });
});
