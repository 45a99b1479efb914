/**
 * The perplexity evaluator against the real mock LLM over loopback: it scores the expected output
 * (given the input) through /v1/completions with echo, equals exp(−mean) of exactly the logprobs
 * the server gave that text's tokens, and puts the tokens on its scoring call's span.
 */

import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { EvaluationResult } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TracesRequest } from '../../otlp/types.ts';
import { textTokens } from '../score-text.ts';
import type { EvaluatorContext } from './context.ts';
import { runEvaluator } from './run.ts';

let mock: MockLlm;
const traces: TracesRequest[] = [];
let context: EvaluatorContext;

beforeAll(async () => {
  mock = await startMockLlm({ latencyMs: 0 });
  context = {
    connection: async (id) =>
      id === 'anthropic'
        ? { provider: 'anthropic', apiKey: 'k', headers: {} }
        : { provider: 'openai-compatible', baseUrl: `${mock.url}/v1`, apiKey: '', headers: {} },
    recordTrace: async (request) => {
      traces.push(request);
    },
    callOptions: { maxRetries: 0 },
  };
});
afterAll(() => mock.close());

const evaluate = (
  config: Record<string, unknown>,
  sample: Record<string, unknown>,
): Promise<EvaluationResult> =>
  runEvaluator(
    { name: 'ppl', type: 'perplexity', config: { connectionId: 'c', ...config } },
    {
      output: undefined,
      ...sample,
    },
    context,
  );

/** The mock's own logprobs for the text's tokens, asked for directly. */
async function mockLogprobs(model: string, context: string, text: string): Promise<number[]> {
  const prefix = context === '' ? '' : `${context}\n`;
  const response = await fetch(`${mock.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, prompt: prefix + text, echo: true, logprobs: 5, max_tokens: 0 }),
  });
  const lp = ((await response.json()) as { choices: { logprobs: Record<string, unknown[]> }[] }).choices[0]!
    .logprobs;
  return (lp.token_logprobs as (number | null)[]).filter(
    (l, i): l is number => l !== null && (lp.text_offset![i] as number) >= prefix.length,
  );
}

const perplexityOf = (logprobs: number[]) => {
  let sum = 0;
  for (const l of logprobs) sum += l;
  return Math.exp(-(sum / logprobs.length));
};

describe('perplexity evaluator', () => {
  const sample = { input: 'Where do rivers flow?', expected: 'Rivers flow downhill to the sea' };

  it('scores the expected output given the input: exp(−mean) of its tokens’ logprobs', async () => {
    const result = await evaluate({ model: 'mock-lm', maxPerplexity: 1000 }, sample);
    const expected = perplexityOf(await mockLogprobs('mock-lm', sample.input, sample.expected));
    expect(result.score).toBe(expected);
    expect(result.label).toBe('pass');
    expect(result.explanation).toMatch(/^perplexity [\d.]+ over 6 tokens of the expected output/);
  });

  it('scores the text alone with withInput false, and differs between models', async () => {
    const alone = await evaluate({ model: 'mock-lm', withInput: false }, sample);
    // The first token has no logprob without context: 5 of the 6 tokens are scored.
    const logprobs = await mockLogprobs('mock-lm', '', sample.expected);
    expect(logprobs).toHaveLength(5);
    expect(alone.score).toBe(perplexityOf(logprobs));
    const other = await evaluate({ model: 'mock-lm-2', withInput: false }, sample);
    expect(other.score).not.toBe(alone.score);
    const strict = await evaluate({ model: 'mock-lm', maxPerplexity: 1 }, sample);
    expect(strict.label).toBe('fail');
  });

  it("traces the scoring call with its tokens, so the call span gets the text's perplexity at ingest", async () => {
    traces.length = 0;
    const result = await evaluate(
      { model: 'mock-lm', text: 'output' },
      { input: 'Hi', output: 'Hello there friend' },
    );
    const spans = traces[0]!.resourceSpans[0]!.scopeSpans[0]!.spans;
    const call = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'text_completion')!;
    const tokens = JSON.parse(String(call.attributes['argus.logprobs'])) as { logprob: number }[];
    expect(perplexityOf(tokens.map((t) => t.logprob))).toBe(result.score);
    expect(call.attributes['gen_ai.request.model']).toBe('mock-lm');
  });

  it.each([
    ['a sample without expected output', {}, { input: 'x' }, 'the sample has no expected output to score'],
    ['an output that is empty', { text: 'output' }, { output: '  ' }, 'the sample has no output to score'],
    [
      'an Anthropic connection',
      { connectionId: 'anthropic' },
      sample,
      'Cannot score text through a anthropic connection: it needs an OpenAI-compatible /completions endpoint',
    ],
  ])('refuses %s with a clear message', async (_, config, s, message) => {
    await expect(evaluate({ model: 'mock-lm', ...config }, s)).rejects.toThrow(message);
  });

  it('refuses a config without a model', async () => {
    await expect(evaluate({}, sample)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});

describe('textTokens', () => {
  it('keeps the tokens starting inside the text, rebuilding missing offsets', () => {
    const tokens = textTokens(
      { tokens: ['Q', '\n', 'A', ' b', '!'], token_logprobs: [null, -1, -2, -3, -4], top_logprobs: [] },
      2,
      5,
    );
    expect(Array.isArray(tokens) && tokens.map((t) => [t.token, t.logprob])).toEqual([
      ['A', -2],
      [' b', -3],
    ]);
  });

  it('explains an answer without logprobs', () => {
    expect(textTokens(null, 0, 1)).toMatch(/^the answer has no logprobs/);
  });
});
