import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, setConfig } from './config.ts';
import { documentsAttribute, documentsOf } from './retrieval.ts';

afterEach(() => setConfig(undefined));

describe('documentsOf', () => {
  it.each([
    // Plain, LangChain (pageContent) and Python-style (page_content) documents.
    [[{ id: 'a', content: 'x', score: 0.5 }], [{ id: 'a', content: 'x', score: 0.5 }]],
    [[{ pageContent: 'x', metadata: { src: 'wiki' } }], [{ content: 'x', metadata: { src: 'wiki' } }]],
    [[{ page_content: 'x', id: 7 }], [{ content: 'x', id: '7' }]],
    // LlamaIndex nodes with scores.
    [[{ node: { id_: 'n1', text: 'x' }, score: 0.9 }], [{ id: 'n1', content: 'x', score: 0.9 }]],
  ])('recognises %j', (value, expected) => {
    expect(documentsOf(value)).toEqual(expected);
  });

  it.each([
    // Not documents: the output is recorded as a plain value instead.
    ['not a list', { content: 'x' }],
    ['empty list', []],
    ['an item without text', [{ content: 'x' }, { id: 'y' }]],
    ['strings', ['a', 'b']],
  ])('rejects %s', (_name, value) => {
    expect(documentsOf(value)).toBeUndefined();
  });
});

describe('documentsAttribute', () => {
  it('shares the content budget between documents and keeps the JSON valid', () => {
    setConfig(resolveConfig({ maxContentChars: 1000 }, {}));
    const docs = Array.from({ length: 4 }, (_, i) => ({ id: String(i), content: 'w'.repeat(5000) }));
    const parsed = JSON.parse(documentsAttribute(docs, true)) as { content: string }[];
    expect(parsed).toHaveLength(4);
    expect(parsed.every((d) => d.content.startsWith('w'.repeat(250)) && d.content.length < 300)).toBe(true);
  });

  it('leaves the text out without content capture', () => {
    expect(JSON.parse(documentsAttribute([{ id: 'a', content: 'secret', score: 1 }], false))).toEqual([
      { id: 'a', score: 1 },
    ]);
  });
});
