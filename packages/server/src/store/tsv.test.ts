import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'chdb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsvMap, tsvNullableNumber, tsvNumberArray, tsvString, tsvStringArray, tsvTime } from './tsv.ts';

// The engine is the oracle: every value written by the TSV helpers must read back identical.
const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-tsv-'));
let session: Session;
beforeAll(async () => {
  session = new Session(dir);
  await session.queryAsync(
    'CREATE TABLE t (id UInt32, s String, a Array(String), m Map(String, String), n Nullable(Float64), f Array(Float64)) ENGINE = MergeTree ORDER BY id',
  );
});
afterAll(() => {
  session.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Row {
  s: string;
  a: string[];
  m: Record<string, string>;
  n: number | null;
  f: number[];
}

async function roundTrip(rows: Row[]): Promise<Row[]> {
  await session.queryAsync('TRUNCATE TABLE t');
  const body = rows
    .map((r, i) =>
      [
        String(i),
        tsvString(r.s),
        tsvStringArray(r.a),
        tsvMap(r.m),
        tsvNullableNumber(r.n),
        tsvNumberArray(r.f),
      ].join('\t'),
    )
    .join('\n');
  await session.insert({ table: 't', format: 'TabSeparated', values: Buffer.from(body) });
  const result = await session.queryAsync('SELECT s, a, m, n, f FROM t ORDER BY id', {
    format: 'JSONEachRow',
  });
  return result
    .text()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Row);
}

describe('TSV encoding', () => {
  it.each([
    // Why: each character TSV escapes, alone and together.
    {
      name: 'escapes',
      s: 'a\\b\tc\nd\re\0f',
      a: ['x\ty', "it's", 'back\\slash', 'new\nline'],
      m: { "k'ey": 'v\\al\tue' },
    },
    // Why: JSON text is what most columns hold.
    {
      name: 'JSON',
      s: '[{"role":"user","parts":[{"type":"text","content":"He said \\"hi\\"\\n"}]}]',
      a: [],
      m: {},
    },
    // Why: a lone backslash at the end must not escape the field separator.
    { name: 'trailing backslash', s: 'ends with \\', a: ['\\'], m: { '\\': '\\' } },
    // Why: non-ASCII survives byte-for-byte.
    { name: 'unicode', s: '日本語 🚀 ünïcödé', a: ['😀'], m: { ключ: 'значение' } },
    // Why: the NULL marker written as text must stay text.
    { name: 'looks like NULL', s: '\\N', a: ['\\N'], m: { '\\N': '\\N' } },
  ] as { name: string; s: string; a: string[]; m: Record<string, string> }[])(
    'round-trips $name',
    async ({ s, a, m }) => {
      const [row] = await roundTrip([{ s, a, m, n: null, f: [1.5, -2] }]);
      expect(row).toEqual({ s, a, m, n: null, f: [1.5, -2] });
    },
  );

  it('writes non-finite numbers as NULL or 0', async () => {
    const [row] = await roundTrip([{ s: '', a: [], m: {}, n: Number.NaN, f: [Number.POSITIVE_INFINITY, 3] }]);
    expect(row).toMatchObject({ n: null, f: [0, 3] });
  });

  it('round-trips arbitrary strings, arrays and maps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            s: fc.string({ unit: 'binary' }),
            a: fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }),
            m: fc.dictionary(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary' }), {
              maxKeys: 3,
            }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        async (records) => {
          // The engine stores bytes; lone surrogates are not valid UTF-8, so compare what UTF-8 can carry.
          const clean = (x: string) => Buffer.from(x, 'utf8').toString('utf8');
          const rows: Row[] = records.map((r) => ({
            s: clean(r.s),
            a: r.a.map(clean),
            m: Object.fromEntries(Object.entries(r.m).map(([k, v]) => [clean(k), clean(v)])),
            n: null,
            f: [],
          }));
          const back = await roundTrip(rows);
          expect(back.map((r) => ({ s: r.s, a: r.a, m: r.m }))).toEqual(
            rows.map((r) => ({ s: r.s, a: r.a, m: r.m })),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('tsvTime (issue 11, finding 5)', () => {
  it.each([
    // Why: 11 digits were refused by the engine when written as a bare integer.
    [10_000_000_000n, '1970-01-01 00:00:10.000000000'],
    // Why: 13 digits were read as milliseconds.
    [1_700_000_000_123n, '1970-01-01 00:28:20.000000123'],
    // Why: one digit was read as a day of the current month.
    [5n, '1970-01-01 00:00:00.000000005'],
    [1_700_000_000_123_456_789n, '2023-11-14 22:13:20.123456789'],
    // Why: the latest time DateTime64(9) holds must survive.
    [9_223_372_036_854_775_807n, '2262-04-11 23:47:16.854775807'],
    // Why: the same second twice in a row comes from the cache, another second must not.
    [1_700_000_000_999_999_999n, '2023-11-14 22:13:20.999999999'],
    [1_700_000_001_000_000_000n, '2023-11-14 22:13:21.000000000'],
    // Why: a time before 1970 (not from ingest) stays exact too.
    [-1_500_000_000n, '1969-12-31 23:59:58.500000000'],
  ])('writes %s as %s', (ns, text) => {
    expect(tsvTime(ns)).toBe(text);
    expect(tsvTime(String(ns))).toBe(text);
  });

  it('round-trips every digit count through DateTime64(9) exactly', async () => {
    await session.queryAsync(
      "CREATE TABLE times (id UInt32, t DateTime64(9, 'UTC')) ENGINE = MergeTree ORDER BY id",
    );
    const values = Array.from({ length: 19 }, (_, i) => 10n ** BigInt(i) + 7n);
    const body = values.map((ns, i) => `${i}\t${tsvTime(ns)}`).join('\n');
    // The writer's own settings, best-effort parsing included.
    await session.insert({
      table: 'times',
      format: 'TabSeparated',
      values: Buffer.from(body),
      settings: { date_time_input_format: 'best_effort' },
    });
    const result = await session.queryAsync(
      'SELECT toString(toUnixTimestamp64Nano(t)) AS ns FROM times ORDER BY id',
      {
        format: 'JSONEachRow',
      },
    );
    const stored = result
      .text()
      .trim()
      .split('\n')
      .map((line) => BigInt((JSON.parse(line) as { ns: string }).ns));
    expect(stored).toEqual(values);
  });
});
