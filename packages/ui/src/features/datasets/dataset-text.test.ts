import { describe, expect, it } from 'vitest';
import { csvHeader, formatOfFile, jsonlFields, mappingOf, previewOf, splitList } from './dataset-text.ts';

describe('previewOf', () => {
  it.each([
    ['text', 'text'],
    [{ q: 'What is 1+1?' }, '{"q":"What is 1+1?"}'],
    [undefined, ''],
    [null, ''],
    ['a\n  b', 'a b'],
  ])('%j → %j', (value, text) => expect(previewOf(value)).toBe(text));

  it('cuts long text with an ellipsis at the limit', () => {
    expect(previewOf('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('import files', () => {
  it.each([
    ['items.jsonl', 'jsonl'],
    ['ITEMS.CSV', 'csv'],
    ['items.ndjson', 'jsonl'],
    ['items.xlsx', undefined],
  ])('%s is %s', (name, format) => expect(formatOfFile(name)).toBe(format));

  it('reads a CSV header with quoted names, stopping at the first line end', () => {
    expect(csvHeader('qid,"the, question",answer\r\nq1,"a",b')).toEqual(['qid', 'the, question', 'answer']);
    expect(csvHeader('"say ""hi""",x\n')).toEqual(['say "hi"', 'x']);
    expect(csvHeader('')).toEqual([]);
  });

  it("reads a JSONL file's fields from its first object line", () => {
    expect(jsonlFields('\n{"q":"1+1","a":"2"}\n{"z":1}')).toEqual(['q', 'a']);
    expect(jsonlFields('[1,2]')).toEqual([]);
    expect(jsonlFields('not json')).toEqual([]);
  });

  it('turns the form into a mapping, leaving out what is left to the defaults', () => {
    expect(mappingOf({ input: 'q', expected: 'a', id: '', metadata: 'topic, level' })).toEqual({
      input: ['q'],
      expected: 'a',
      metadata: ['topic', 'level'],
    });
    expect(mappingOf({ input: ' ', expected: '', id: '', metadata: ',' })).toBeUndefined();
    expect(splitList('a,, b ,')).toEqual(['a', 'b']);
  });
});
