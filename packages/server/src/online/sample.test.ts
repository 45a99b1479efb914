import type { Span } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { meets, onlineScoreId } from './evaluate.ts';
import { checkRuleFilter, ruleSpanFilters } from './filter.ts';
import { pathSteps, sampleOf, valueAtPath } from './sample.ts';

const span = {
  traceId: 't'.repeat(32),
  spanId: 's'.repeat(16),
  name: 'chat',
  kind: 'llm',
  requestModel: 'gpt-4o-mini',
  responseModel: '',
  input: [{ role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] }],
  output: [{ role: 'assistant', parts: [{ type: 'text', content: 'Paris' }] }],
  retrievalDocuments: [{ content: 'Paris is the capital of France.' }],
  metadata: { expected: 'Paris' },
  attributes: { 'app.answer': '{"text":"Paris","sources":["wiki"]}', 'gen_ai.prompt': 'p' },
} as unknown as Span;

describe('variables of a rule', () => {
  it.each([
    ['output', span.output],
    ['$.output[0].parts[0].content', 'Paris'],
    ['metadata.expected', 'Paris'],
    // Dotted OTel attribute names are looked up whole before descending.
    ['attributes.gen_ai.prompt', 'p'],
    // JSON text in an attribute is parsed on the way.
    ['attributes.app.answer.sources.0', 'wiki'],
    ['$.nothing.here', undefined],
  ])('%s', (path, expected) => {
    expect(valueAtPath(span, path)).toEqual(expected);
  });

  it('splits JSON paths and dotted paths alike', () => {
    expect(pathSteps('$.a.b[2].c')).toEqual(['a', 'b', '2', 'c']);
    expect(pathSteps('a.b.2.c')).toEqual(['a', 'b', '2', 'c']);
  });

  it('defaults to the span input, output and retrieved documents; maps what is asked', () => {
    expect(sampleOf(span, {})).toMatchObject({
      input: span.input,
      output: span.output,
      metadata: { context: span.retrievalDocuments, model: 'gpt-4o-mini', spanName: 'chat' },
    });
    expect(sampleOf(span, {})).not.toHaveProperty('expected');
    expect(
      sampleOf(span, { output: '$.output[0].parts[0].content', expected: 'metadata.expected' }),
    ).toMatchObject({
      output: 'Paris',
      expected: 'Paris',
    });
  });

  it('gives a trace rule every retrieved document of the trace as context', () => {
    const child = { ...span, retrievalDocuments: [{ content: 'second' }] } as Span;
    const sample = sampleOf({ ...span, retrievalDocuments: [], spans: [span, child] }, {});
    expect(sample.metadata?.context).toEqual([
      { content: 'Paris is the capital of France.' },
      { content: 'second' },
    ]);
  });
});

describe('a rule filter', () => {
  it('is the /spans filters, parsed by their parser', () => {
    const filters = ruleSpanFilters(
      { kind: 'llm', model: ['a', 'b'], minCostUsd: 0.01 },
      { fromMs: 0, toMs: 1000 },
    );
    expect(filters).toMatchObject({
      kinds: ['llm'],
      models: ['a', 'b'],
      minCostUsd: 0.01,
      fromMs: 0,
      toMs: 1000,
    });
  });

  it.each([
    [{ kind: 'llama' }, /^Invalid rule field 'filter': Invalid parameter 'kind'/],
    [{ modle: 'x' }, /^Invalid rule field 'filter': Unknown parameter 'modle'; did you mean 'model'\?/],
    [{ from: '2026-01-01' }, /^Invalid rule field 'filter.from': the worker sets it$/],
  ])('refuses %j', (filter, message) => {
    expect(() => checkRuleFilter(filter)).toThrow(message);
  });
});

describe('actions and score ids', () => {
  it.each([
    [undefined, true],
    [{ scoreBelow: 0.5 }, false],
    [{ scoreAbove: 0.5 }, true],
    [{ label: 'pass' }, true],
    [{ label: 'fail' }, false],
    [{ evaluatorId: 'other', scoreAbove: 0 }, false],
  ])('condition %j on a 0.8 "pass" result → %s', (condition, expected) => {
    expect(meets(condition, 'e1', { score: 0.8, label: 'pass' })).toBe(expected);
  });

  it('derives one stable UUID per rule, evaluator, trace and span', () => {
    const id = onlineScoreId('r', 'e', 't', 's');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(onlineScoreId('r', 'e', 't', 's')).toBe(id);
    expect(onlineScoreId('r', 'e', 't', '')).not.toBe(id);
    expect(onlineScoreId('r2', 'e', 't', 's')).not.toBe(id);
  });
});
