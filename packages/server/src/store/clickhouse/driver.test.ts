/** Row parsing for background reads (parseRowsYielding): the same rows as one parse, in order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRowsYielding } from './driver.ts';

const row = fc.record({
  id: fc.string(),
  n: fc.oneof(fc.integer(), fc.constant('18446744073709551615')),
  text: fc.string({ unit: 'binary' }),
  tags: fc.array(fc.string()),
});

describe('parseRowsYielding', () => {
  it('returns every row of JSONEachRow text in order, whatever the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        async (rows, every, trailing) => {
          const text =
            rows.map((r) => JSON.stringify(r)).join('\n') + (trailing && rows.length > 0 ? '\n' : '');
          expect(await parseRowsYielding(text, every)).toEqual(rows);
          // The same output as the engine's bytes, decoded row by row.
          const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
          expect(await parseRowsYielding(bytes, every)).toEqual(rows);
        },
      ),
    );
  });

  it('lets other work run between chunks', async () => {
    const text = Array.from({ length: 10 }, (_, i) => JSON.stringify({ i })).join('\n');
    const order: string[] = [];
    setImmediate(() => order.push('other'));
    const rows = await parseRowsYielding<{ i: number }>(text, 2);
    order.push('parsed');
    expect(rows.map((r) => r.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(order).toEqual(['other', 'parsed']);
  });

  it('refuses a malformed row with the parse error', async () => {
    await expect(parseRowsYielding('{"a":1}\n{"a":', 4)).rejects.toThrow(SyntaxError);
    await expect(parseRowsYielding(Buffer.from('{"a":1}\n{"a":'), 4)).rejects.toThrow(SyntaxError);
  });

  it('decodes rows from bytes that are a view into a larger buffer', async () => {
    const whole = Buffer.from('xx{"a":"é"}\n\n{"a":"😀"}\nyy');
    const view = whole.subarray(2, whole.length - 2);
    expect(await parseRowsYielding(view, 1)).toEqual([{ a: 'é' }, { a: '😀' }]);
  });
});
