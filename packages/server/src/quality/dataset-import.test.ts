import { describe, expect, it } from 'vitest';
import { itemsFromCsv, itemsFromJsonl, itemToCsv, parseCsv } from './dataset-import.ts';

describe('parseCsv', () => {
  it.each([
    // Why: quoted commas, escaped quotes, line breaks inside quotes, CRLF, a BOM, no final newline.
    [
      'a,b\r\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      '\ufeffa,b\n"x, y","say ""hi"""\n',
      [
        ['a', 'b'],
        ['x, y', 'say "hi"'],
      ],
    ],
    ['a\n"line one\nline two"\n', [['a'], ['line one\nline two']]],
  ])('splits %j', (text, rows) => {
    expect(parseCsv(text).rows.map((r) => r.cells)).toEqual(rows);
  });

  it('names the line of an unclosed quote', () => {
    expect(parseCsv('a\n1\n"open\n').error).toBe('line 3: a quoted field is not closed');
  });
});

describe('itemsFromCsv', () => {
  it('maps several input columns into an object and counts every refused row', () => {
    const csv = `city,country,answer\nParis,France,yes\n${Array.from({ length: 150 }, () => ',,x').join('\n')}\n`;
    const parsed = itemsFromCsv(csv, { input: ['city', 'country'], expected: 'answer' });
    expect(parsed.items).toEqual([{ input: { city: 'Paris', country: 'France' }, expectedOutput: 'yes' }]);
    expect(parsed.refused).toBe(150);
    expect(parsed.errors).toHaveLength(100);
    expect(parsed.errors[0]).toEqual({ row: 3, message: "the input columns 'city', 'country' are empty" });
  });

  it('names the columns a mapping asks for that the header lacks', () => {
    const parsed = itemsFromCsv('q,a\nx,y\n', { input: ['question'] });
    expect(parsed.errors[0]?.message).toBe("the header has no column 'question' (it has 'q', 'a')");
  });

  it('reads the default columns and JSON metadata, and round-trips through itemToCsv', () => {
    const row = itemToCsv({ id: 'i1', input: 'a, "b"', expectedOutput: { x: 1 }, metadata: { k: 'v' } });
    const parsed = itemsFromCsv(`id,input,expected_output,metadata,source_trace_id,source_span_id\r\n${row}`);
    expect(parsed.items).toEqual([
      { id: 'i1', input: 'a, "b"', expectedOutput: '{"x":1}', metadata: { k: 'v' } },
    ]);
  });
});

describe('itemsFromJsonl', () => {
  it('takes item-shaped lines or a mapping of dotted paths, naming bad lines', () => {
    const text =
      '{"input":"q1","expected_output":"a1"}\n\n{"q":{"text":"q2"},"a":"a2","id":7}\n[1]\n{"q":{}}\n';
    expect(itemsFromJsonl(text).items[0]).toEqual({ input: 'q1', expectedOutput: 'a1' });
    const mapped = itemsFromJsonl(text, { input: ['q.text'], expected: 'a', id: 'id' });
    expect(mapped.items).toEqual([{ id: '7', input: 'q2', expectedOutput: 'a2' }]);
    expect(mapped.errors).toEqual([
      { row: 1, message: "'q.text' is missing or empty" },
      { row: 4, message: 'not a JSON object' },
      { row: 5, message: "'q.text' is missing or empty" },
    ]);
  });
});
