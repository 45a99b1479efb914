/**
 * Usage rules (conventions.md 3.3–3.4): tokens with the cache rule, reported cost, TTFT units
 * and tokens per second.
 */
import { describe, expect, it } from 'vitest';
import type { AttrValue } from '../otlp/types.ts';
import { CTX, event, plain, spanInput } from './builders.test-util.ts';
import { normalizeSpan } from './index.ts';

// Table rows mix keys, so values arrive loosely typed; the normalizer accepts anything anyway.
const map = (values: Record<string, unknown>, options = {}) =>
  plain(normalizeSpan(spanInput(values as Record<string, AttrValue>, options), CTX));

describe('tokens (rule 3.4.4: input includes cache, reasoning within output)', () => {
  it.each([
    // Why: OTel already includes cache in input; it must not be added twice.
    {
      values: { 'gen_ai.usage.input_tokens': 120, 'gen_ai.usage.cache_read.input_tokens': 100 },
      input: 120,
      cacheRead: 100,
    },
    // Why: Anthropic-raw counts (input excludes cache) show up as subsets larger than the whole.
    {
      values: {
        'gen_ai.usage.input_tokens': 20,
        'gen_ai.usage.cache_read.input_tokens': 100,
        'gen_ai.usage.cache_creation.input_tokens': 30,
      },
      input: 150,
      cacheRead: 100,
      cacheWrite: 30,
    },
    // Why: Langfuse free-form keys: input is uncached, every input* bucket adds up.
    {
      values: {
        'langfuse.observation.usage_details':
          '{"input":20,"input_cache_read":100,"input_cache_creation":5,"output":10,"output_reasoning":4}',
      },
      input: 125,
      cacheRead: 100,
      cacheWrite: 5,
      output: 14,
      reasoning: 4,
    },
    // Why: Langfuse may also carry an OpenAI usage object whose prompt_tokens include the cache.
    {
      values: {
        'langfuse.observation.usage_details':
          '{"prompt_tokens":120,"completion_tokens":12,"prompt_tokens_details":{"cached_tokens":100}}',
      },
      input: 120,
      cacheRead: 100,
      output: 12,
    },
    // Why: OpenLLMetry's keys have no dot before input_tokens.
    {
      values: { 'gen_ai.usage.input_tokens': 50, 'gen_ai.usage.cache_creation_input_tokens': 10 },
      input: 50,
      cacheWrite: 10,
    },
    // Why: OpenInference prompt details.
    {
      values: {
        'llm.token_count.prompt': 50,
        'llm.token_count.prompt_details.cache_write': 7,
        'llm.token_count.completion_details.reasoning': 3,
        'llm.token_count.completion': 9,
      },
      input: 50,
      cacheWrite: 7,
      reasoning: 3,
      output: 9,
    },
    // Why: Vercel v5+ names, and the embed-only ai.usage.tokens.
    {
      values: { 'ai.usage.inputTokens': 8, 'ai.usage.outputTokens': 2, 'ai.usage.reasoningTokens': 1 },
      input: 8,
      output: 2,
      reasoning: 1,
    },
    { values: { 'ai.usage.tokens': 5 }, input: 5 },
    // Why: Vercel reports provider cache counts only in its providerMetadata JSON.
    {
      values: {
        'ai.usage.promptTokens': 300,
        'ai.response.providerMetadata':
          '{"anthropic":{"cacheReadInputTokens":200,"cacheCreationInputTokens":50}}',
      },
      input: 300,
      cacheRead: 200,
      cacheWrite: 50,
    },
    // Why: reasoning is a subset of output; a larger reasoning count means output omitted it.
    {
      values: { 'gen_ai.usage.output_tokens': 2, 'gen_ai.usage.reasoning.output_tokens': 6 },
      output: 6,
      reasoning: 6,
    },
    // Why: integers beyond 2^53 arrive as decimal strings.
    { values: { 'gen_ai.usage.input_tokens': '12' }, input: 12 },
  ])('$values', ({ values, input = 0, cacheRead = 0, cacheWrite = 0, output = 0, reasoning = 0 }) => {
    const span = map(values);
    expect(span).toMatchObject({
      inputTokens: input,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      outputTokens: output,
      reasoningTokens: reasoning,
      totalTokens: input + output,
    });
  });

  it('keeps a reported total rather than recomputing it', () => {
    expect(
      map({ 'gen_ai.usage.input_tokens': 1, 'gen_ai.usage.output_tokens': 1, 'llm.usage.total_tokens': 5 })
        .totalTokens,
    ).toBe(5);
  });
});

describe('cost (reported only; the enrich step computes the rest)', () => {
  it.each([
    { values: { 'gen_ai.usage.cost': 0.5, 'gen_ai.usage.input_tokens': 1 }, cost: 0.5, source: 'reported' },
    {
      values: { 'llm.cost.total': 0.3, 'llm.cost.prompt': 0.1, 'llm.cost.completion': 0.2 },
      cost: 0.3,
      source: 'reported',
      inputCost: 0.1,
      outputCost: 0.2,
    },
    {
      values: { 'langfuse.observation.cost_details': '{"input":0.1,"output":0.2}' },
      cost: 0.30000000000000004,
      source: 'reported',
      inputCost: 0.1,
      outputCost: 0.2,
    },
    // Why: nothing reported → the enrich step prices it.
    { values: { 'gen_ai.usage.input_tokens': 10 }, cost: 0, source: 'none' },
    // Why: a reported 0 for a free call without usage is a real 0.
    { values: { 'gen_ai.usage.cost': 0 }, cost: 0, source: 'reported' },
  ])('$values', ({ values, cost, source, inputCost = 0, outputCost = 0 }) => {
    expect(map(values)).toMatchObject({
      costUsd: cost,
      costSource: source,
      inputCostUsd: inputCost,
      outputCostUsd: outputCost,
    });
  });
});

describe('TTFT (rule 3.4.5: seconds vs milliseconds) and tokens per second', () => {
  it.each([
    // Why: OTel >=1.41 span attribute, in seconds.
    { values: { 'gen_ai.response.time_to_first_chunk': 0.25 }, ttft: 250 },
    // Why: OpenLIT/OpenLLMetry name client TTFT like the server metric, still seconds.
    { values: { 'gen_ai.server.time_to_first_token': 0.25 }, ttft: 250 },
    // Why: @ai-sdk/otel stores timing as attributes named like metrics, seconds.
    { values: { 'gen_ai.client.operation.time_to_first_chunk': 0.25 }, ttft: 250 },
    // Why: Vercel legacy reports MILLISECONDS.
    { values: { 'ai.response.msToFirstChunk': 250 }, ttft: 250 },
    // Why: Vercel's stream event carries the ms value; it wins over the event's own time.
    {
      values: {},
      events: [event('ai.stream.firstChunk', { 'ai.response.msToFirstChunk': 250 }, 300)],
      ttft: 250,
    },
    // Why: an event without the attribute still marks the time of the first chunk.
    { values: {}, events: [event('First Token Stream Event', {}, 250)], ttft: 250 },
    // Why: Langfuse sends an absolute ISO time; TTFT is its distance from the span start.
    { values: { 'langfuse.observation.completion_start_time': '2026-11-21T05:03:54.373456789Z' }, ttft: 250 },
    // Why: a negative TTFT is a clock bug, not a value.
    { values: { 'gen_ai.server.time_to_first_token': -1 }, ttft: undefined },
  ])('$values → $ttft ms', ({ values, events = [], ttft }) => {
    const span = map({ ...values, 'gen_ai.request.model': 'm' }, { events });
    if (ttft === undefined) expect(span.ttftMs).toBeUndefined();
    else expect(span.ttftMs).toBeCloseTo(ttft, 6);
  });

  it('measures tokens per second over the generation time when streamed', () => {
    const streamed = map(
      { 'gen_ai.usage.output_tokens': 100, 'gen_ai.server.time_to_first_token': 0.5 },
      { durationMs: 1000 },
    );
    expect(streamed.tokensPerSecond).toBeCloseTo(200, 6);
    const whole = map({ 'gen_ai.usage.output_tokens': 100 }, { durationMs: 2000 });
    expect(whole.tokensPerSecond).toBeCloseTo(50, 6);
  });
});
