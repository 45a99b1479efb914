import type { Span } from '@argus/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noModelCall } from '../normalize/no-model-call.ts';
import { computeCost, createEnricher, loadPricingCatalog, type PriceOverride } from './index.ts';

const catalog = loadPricingCatalog();
const enricher = createEnricher({ catalog });

/** A minimal LLM span; tests override only what they are about. */
function makeSpan(patch: Partial<Span> = {}): Span {
  return {
    projectId: 'default',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '',
    name: 'chat',
    kind: 'llm',
    serviceName: 'svc',
    serviceVersion: '',
    environment: '',
    scope: '',
    startTime: '2026-11-21T00:00:00Z',
    endTime: '2026-11-21T00:00:01Z',
    startTimeUnixNano: '1795219200000000000',
    endTimeUnixNano: '1795219201000000000',
    durationMs: 1000,
    status: 'ok',
    statusMessage: '',
    errorType: '',
    ...noModelCall(),
    provider: 'openai',
    operation: 'chat',
    requestModel: 'gpt-4o',
    toolName: '',
    toolCallId: '',
    sessionId: '',
    userId: '',
    conversationId: '',
    tags: [],
    metadata: {},
    attributes: {},
    resourceAttributes: {},
    events: [],
    convention: 'otel_genai',
    ...patch,
  };
}

const text = (content: string) => [{ role: 'user', parts: [{ type: 'text', content }] }];

describe('enrichSpan: computed cost', () => {
  it.each([
    [
      // gpt-4o list price: input 2.50, cached input 1.25, output 10.00 per 1M.
      // (200 × 2.50 + 800 × 1.25) / 1e6 = 0.0015; 500 × 10 / 1e6 = 0.005.
      'gpt-4o, 1000 input of which 800 cached',
      {
        provider: 'openai',
        responseModel: 'gpt-4o-2024-08-06',
        inputTokens: 1000,
        cacheReadTokens: 800,
        outputTokens: 500,
      },
      0.0015,
      0.005,
    ],
    [
      // claude-sonnet-4-5: input 3.00, cache read 0.30, 5-minute cache write 3.75, output 15.00.
      // (500 × 3 + 1000 × 0.30 + 1500 × 3.75) / 1e6 = 0.007425; 200 × 15 / 1e6 = 0.003.
      'Claude with cache reads and writes',
      {
        provider: 'anthropic',
        requestModel: 'claude-sonnet-4-5-20250929',
        inputTokens: 3000,
        cacheReadTokens: 1000,
        cacheWriteTokens: 1500,
        outputTokens: 200,
      },
      0.007425,
      0.003,
    ],
    [
      // One million of each at 0.15 / 0.60.
      'gpt-4o-mini without cache',
      { requestModel: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 1_000_000 },
      0.15,
      0.6,
    ],
    [
      // gpt-4-turbo has no cached-input price: cached tokens are billed as input (1000 × 10 / 1e6).
      'a model without a cache price bills cache reads as input',
      { requestModel: 'gpt-4-turbo', inputTokens: 1000, cacheReadTokens: 400 },
      0.01,
      0,
    ],
    [
      // 10,000 × 0.02 / 1e6; embeddings have no output.
      'embeddings',
      { kind: 'embedding' as const, requestModel: 'text-embedding-3-small', inputTokens: 10_000 },
      0.0002,
      0,
    ],
    [
      // Cache buckets larger than the input (a reporter that excluded them) are capped at the input:
      // 100 tokens, all cached: 100 × 1.25 / 1e6.
      'inconsistent cache counts never bill more tokens than reported',
      { requestModel: 'gpt-4o', inputTokens: 100, cacheReadTokens: 300 },
      0.000125,
      0,
    ],
  ])('%s', (_why, patch, inputCost, outputCost) => {
    const span = enricher.enrichSpan(makeSpan(patch));
    expect(span.costSource).toBe('computed');
    expect(span.inputCostUsd).toBeCloseTo(inputCost, 12);
    expect(span.outputCostUsd).toBeCloseTo(outputCost, 12);
    expect(span.costUsd).toBeCloseTo(inputCost + outputCost, 12);
  });

  it('prices by the response model, falling back to the request model', () => {
    const byResponse = makeSpan({
      requestModel: 'gpt-4o',
      responseModel: 'gpt-4o-mini-2024-07-18',
      inputTokens: 1e6,
    });
    expect(enricher.enrichSpan(byResponse).costUsd).toBeCloseTo(0.15, 12);
    const byRequest = makeSpan({
      requestModel: 'gpt-4o',
      responseModel: 'acme-finetune-7',
      inputTokens: 1e6,
    });
    expect(enricher.enrichSpan(byRequest).costUsd).toBeCloseTo(2.5, 12);
  });

  it('leaves costSource none (and zero cost) when no price is known', () => {
    const span = makeSpan({
      requestModel: 'my-local-llama',
      inputTokens: 10,
      costSource: 'computed',
      costUsd: 1,
    });
    enricher.enrichSpan(span);
    expect(span).toMatchObject({ costSource: 'none', costUsd: 0, inputCostUsd: 0, outputCostUsd: 0 });
  });

  it('mutates the span in place and returns it', () => {
    const span = makeSpan({ inputTokens: 1 });
    expect(enricher.enrichSpan(span)).toBe(span);
  });

  it('uses the project overrides', () => {
    const overrides: PriceOverride[] = [{ model: 'gpt-4o', inputPerMTok: 1, outputPerMTok: 1 }];
    const withOverrides = createEnricher({
      catalog,
      overridesFor: (id) => (id === 'acme' ? overrides : undefined),
    });
    const acme = withOverrides.enrichSpan(
      makeSpan({ projectId: 'acme', inputTokens: 1e6, outputTokens: 1e6 }),
    );
    const other = withOverrides.enrichSpan(
      makeSpan({ projectId: 'other', inputTokens: 1e6, outputTokens: 1e6 }),
    );
    expect(acme.costUsd).toBeCloseTo(2, 12);
    expect(other.costUsd).toBeCloseTo(12.5, 12);
  });
});

describe('enrichSpan: spans it must not price', () => {
  it('keeps a reported cost untouched, split or not', () => {
    // The instrumentation's number wins (conventions §3.4 rule 9), even for a known model.
    const span = makeSpan({ inputTokens: 1000, outputTokens: 100, costUsd: 0.123, costSource: 'reported' });
    enricher.enrichSpan(span);
    expect(span).toMatchObject({ costUsd: 0.123, inputCostUsd: 0, outputCostUsd: 0, costSource: 'reported' });
  });

  it('leaves aggregate spans with their reported values only', () => {
    // An agent root repeating its children's usage would double-count if priced.
    const attributes = { 'argus.usage_scope': 'aggregate' };
    const agent = makeSpan({ kind: 'agent', attributes, inputTokens: 5000, outputTokens: 500 });
    enricher.enrichSpan(agent);
    expect(agent).toMatchObject({
      costSource: 'none',
      costUsd: 0,
      inputTokens: 5000,
      tokensEstimated: false,
    });
    const llm = makeSpan({ attributes, input: text('hello world'), output: text('hello world') });
    enricher.enrichSpan(llm);
    expect(llm).toMatchObject({
      inputTokens: 0,
      outputTokens: 0,
      tokensEstimated: false,
      costSource: 'none',
    });
  });
});

describe('enrichSpan: failed calls (issue 13: a 429 was charged)', () => {
  const prompt = { input: text('Do you sell gift cards?'), requestModel: 'gpt-4o-mini' };

  it('neither estimates nor prices a failed call that reported no usage', () => {
    // A rate-limited call: the provider rejected it and billed nothing, so the prompt is not tokens sold.
    const span = makeSpan({ ...prompt, status: 'error', errorType: '429' });
    enricher.enrichSpan(span);
    expect(span).toMatchObject({
      inputTokens: 0,
      outputTokens: 0,
      totalTokens: 0,
      tokensEstimated: false,
      costUsd: 0,
      inputCostUsd: 0,
      outputCostUsd: 0,
      costSource: 'none',
    });
  });

  it('prices a failed call by the usage it did report', () => {
    // A stream cut off mid-answer: the provider billed what it generated, and the SDK reported it.
    const span = makeSpan({ ...prompt, status: 'error', inputTokens: 1000, outputTokens: 100 });
    enricher.enrichSpan(span);
    expect(span.costSource).toBe('computed');
    // gpt-4o-mini: (1000 × 0.15 + 100 × 0.60) / 1e6.
    expect(span.costUsd).toBeCloseTo(0.00021, 12);
  });

  it('keeps a cost the failed call reported', () => {
    const span = makeSpan({ ...prompt, status: 'error', costUsd: 0.5, costSource: 'reported' });
    enricher.enrichSpan(span);
    expect(span).toMatchObject({
      costUsd: 0.5,
      costSource: 'reported',
      tokensEstimated: false,
      inputTokens: 0,
    });
  });

  it('still estimates and prices a successful call with the same content', () => {
    const span = enricher.enrichSpan(makeSpan(prompt));
    expect(span.tokensEstimated).toBe(true);
    expect(span.costUsd).toBeGreaterThan(0);
  });
});

describe('enrichSpan: token estimates', () => {
  it('estimates input (with system instructions) and output of an LLM span that reported none', () => {
    const span = makeSpan({
      systemInstructions: [{ type: 'text', content: 'Be brief.' }],
      input: text('hello world'),
      output: [{ role: 'assistant', parts: [{ type: 'text', content: 'hello world' }] }],
    });
    enricher.enrichSpan(span);
    // o200k (gpt-4o) splits "Be brief.\nhello world" as Be| brief|.\n|hello| world: 5 tokens.
    expect(span).toMatchObject({ inputTokens: 5, outputTokens: 2, totalTokens: 7, tokensEstimated: true });
    // The estimate is priced like reported usage: (5 × 2.50 + 2 × 10) / 1e6.
    expect(span).toMatchObject({ costSource: 'computed' });
    expect(span.costUsd).toBeCloseTo(0.0000325, 12);
  });

  it.each<[string, Partial<Span>]>([
    // [why, patch] — none of these may be estimated.
    ['tokens were reported', { inputTokens: 7, input: text('hello world') }],
    ['only output tokens were reported', { outputTokens: 3, input: text('hello world') }],
    ['there is no content', {}],
    ['the span is not an LLM call', { kind: 'tool', input: 'hello world' }],
  ])('does not estimate when %s', (_why, patch) => {
    const span = enricher.enrichSpan(makeSpan(patch));
    expect(span.tokensEstimated).toBe(false);
    expect(span.inputTokens).toBe(patch.inputTokens ?? 0);
  });

  it('estimates only input for embeddings', () => {
    const span = makeSpan({
      kind: 'embedding',
      requestModel: 'text-embedding-3-small',
      input: ['hello world'],
    });
    span.output = [[0.1, 0.2, 0.3]];
    enricher.enrichSpan(span);
    expect(span).toMatchObject({ inputTokens: 2, outputTokens: 0, totalTokens: 2, tokensEstimated: true });
  });
});

describe('computeCost properties', () => {
  const count = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e12, noNaN: true }), fc.constant(0));

  it('is finite and ≥ 0 for any non-negative token counts and any catalog price', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...catalog.models),
        fc.record({
          inputTokens: count,
          outputTokens: count,
          cacheReadTokens: count,
          cacheWriteTokens: count,
        }),
        (price, usage) => {
          const cost = computeCost(usage, price);
          for (const value of [cost.inputCostUsd, cost.outputCostUsd, cost.costUsd]) {
            expect(Number.isFinite(value) && value >= 0).toBe(true);
          }
          expect(cost.costUsd).toBe(cost.inputCostUsd + cost.outputCostUsd);
        },
      ),
    );
  });

  it('treats garbage counts (negative, NaN, infinite) as zero', () => {
    const price = { provider: 'p', model: 'm', inputPerMTok: 1, outputPerMTok: 1 };
    const garbage = fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    fc.assert(
      fc.property(garbage, garbage, (bad, worse) => {
        const usage = {
          inputTokens: bad,
          outputTokens: worse,
          cacheReadTokens: bad,
          cacheWriteTokens: worse,
        };
        expect(computeCost(usage, price).costUsd).toBe(0);
      }),
    );
  });
});
