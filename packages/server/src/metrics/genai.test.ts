import { describe, expect, it } from 'vitest';
import { makeSpan } from '../query/test-helpers.ts';
import { renderExposition } from './exposition.ts';
import { registerGenAiMetrics, spanMetricFacts } from './genai.ts';
import { MetricsRegistry } from './registry.ts';
import { observerOf } from './test-helpers.ts';

/** value of the line starting with `prefix` (a metric name plus labels). */
function sampleValue(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const LABELS =
  'argus_project="default",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",gen_ai_response_model="gpt-4o-mini-2024-07-18",service_name="chat-api",deployment_environment="production"';

describe('GenAI metrics from spans', () => {
  const registry = new MetricsRegistry();
  const observe = observerOf(registry);
  observe([
    makeSpan({
      durationMs: 700,
      inputTokens: 100,
      outputTokens: 20,
      cacheReadTokens: 60,
      reasoningTokens: 5,
      costUsd: 0.25,
      ttftMs: 150,
    }),
    makeSpan({
      durationMs: 2000,
      inputTokens: 300,
      outputTokens: 0,
      costUsd: 0.5,
      status: 'error',
      errorType: 'RateLimitError',
    }),
    makeSpan({ durationMs: 50, status: 'error', errorType: '', inputTokens: 0, outputTokens: 0, costUsd: 0 }),
    // Not GenAI operations, or usage that repeats the children's: no tokens or cost from these.
    makeSpan({ kind: 'tool', inputTokens: 1000 }),
    makeSpan({ kind: 'agent', inputTokens: 1000 }),
    makeSpan({ inputTokens: 1000, costUsd: 9, attributes: { 'argus.usage_scope': 'aggregate' } }),
  ]);
  const text = renderExposition(registry.families(), 'prometheus');

  it('counts requests and errors (error.type _OTHER when none was reported)', () => {
    expect(sampleValue(text, `argus_gen_ai_requests_total{${LABELS}}`)).toBe(4);
    expect(sampleValue(text, `argus_gen_ai_errors_total{${LABELS},error_type="RateLimitError"}`)).toBe(1);
    expect(sampleValue(text, `argus_gen_ai_errors_total{${LABELS},error_type="_OTHER"}`)).toBe(1);
  });

  it('fills the duration histogram with the conventions’ buckets, in seconds', () => {
    const bucket = (le: string) =>
      sampleValue(text, `gen_ai_client_operation_duration_seconds_bucket{${LABELS},le="${le}"}`);
    expect([
      bucket('0.01'),
      bucket('0.08'),
      bucket('0.64'),
      bucket('1.28'),
      bucket('2.56'),
      bucket('81.92'),
      bucket('+Inf'),
    ]).toEqual([0, 1, 1, 3, 4, 4, 4]);
    expect(sampleValue(text, `gen_ai_client_operation_duration_seconds_sum{${LABELS}}`)).toBeCloseTo(
      3.75,
      12,
    );
  });

  it('records time to first chunk only for spans that streamed', () => {
    expect(sampleValue(text, `gen_ai_client_operation_time_to_first_chunk_seconds_count{${LABELS}}`)).toBe(1);
    expect(sampleValue(text, `gen_ai_client_operation_time_to_first_chunk_seconds_sum{${LABELS}}`)).toBe(
      0.15,
    );
  });

  it('adds tokens and cost only of spans that count usage', () => {
    const tokens = (type: string) => sampleValue(text, `argus_gen_ai_tokens_total{${LABELS},type="${type}"}`);
    expect([
      tokens('input'),
      tokens('output'),
      tokens('cache_read'),
      tokens('cache_write'),
      tokens('reasoning'),
    ]).toEqual([400, 20, 60, undefined, 5]);
    expect(sampleValue(text, `argus_gen_ai_cost_usd_total{${LABELS}}`)).toBe(0.75);
    expect(sampleValue(text, `gen_ai_client_token_usage_count{${LABELS},gen_ai_token_type="input"}`)).toBe(2);
    expect(sampleValue(text, `gen_ai_client_token_usage_count{${LABELS},gen_ai_token_type="output"}`)).toBe(
      1,
    );
    expect(
      sampleValue(text, `gen_ai_client_token_usage_bucket{${LABELS},gen_ai_token_type="input",le="256"}`),
    ).toBe(1);
    expect(
      sampleValue(text, `gen_ai_client_token_usage_bucket{${LABELS},gen_ai_token_type="input",le="1024"}`),
    ).toBe(2);
  });

  it('skips the spans the store dropped as duplicates', () => {
    const fresh = new MetricsRegistry();
    const observeFresh = observerOf(fresh);
    observeFresh([makeSpan(), makeSpan(), makeSpan(), makeSpan()], [0, 2]);
    expect(
      sampleValue(renderExposition(fresh.families(), 'prometheus'), `argus_gen_ai_requests_total{${LABELS}}`),
    ).toBe(2);
  });

  it('folds models past the label-set bound into other and counts every folded span', () => {
    const bounded = new MetricsRegistry({ maxLabelSets: 2 });
    const observeBounded = observerOf(bounded);
    const spans = ['m1', 'm2', 'm3', 'm4', 'm3'].map((model) =>
      makeSpan({ requestModel: model, responseModel: '', inputTokens: 10 }),
    );
    observeBounded(spans);
    const out = renderExposition(bounded.families(), 'prometheus');
    expect(out.match(/^argus_gen_ai_requests_total\{/gm)).toHaveLength(3);
    expect(out).toMatch(
      /argus_gen_ai_requests_total\{argus_project="default",gen_ai_operation_name="other",[^}]*\} 3\n/,
    );
    expect(
      sampleValue(out, 'argus_metrics_dropped_label_sets_total{metric="argus_gen_ai_requests_total"}'),
    ).toBe(3);
    // Each metric has its own bound: the token counter holds 5 types × 2 label sets, room for m3 still.
    expect(out).toMatch(/argus_gen_ai_tokens_total\{[^}]*gen_ai_request_model="m3",[^}]*type="input"\} 20\n/);
  });

  it('bounds label sets per project: a busy project folds its own series, not another project’s', () => {
    const bounded = new MetricsRegistry({ maxLabelSets: 2 });
    const observeBounded = observerOf(bounded);
    observeBounded(
      ['m1', 'm2', 'm3', 'm4'].map((model) => makeSpan({ projectId: 'busy', requestModel: model })),
    );
    observeBounded([makeSpan({ projectId: 'quiet', requestModel: 'q1' })]);
    const out = renderExposition(bounded.families(), 'prometheus');
    expect(out).toMatch(
      /argus_gen_ai_requests_total\{argus_project="busy",gen_ai_operation_name="other",[^}]*\} 2\n/,
    );
    expect(out).toMatch(
      /argus_gen_ai_requests_total\{argus_project="quiet",[^}]*gen_ai_request_model="q1",[^}]*\} 1\n/,
    );
  });

  it('serves one project’s series to a scoped scrape, without families that have no project', () => {
    const registry = new MetricsRegistry();
    const observeAll = observerOf(registry);
    registry.gauge({ name: 'process_resident_memory_bytes', help: 'RSS.' }).child([]).set(1);
    observeAll([
      makeSpan({ projectId: 'a', requestModel: 'model-a', errorType: 'E', status: 'error' }),
      makeSpan({ projectId: 'b', requestModel: 'model-b' }),
    ]);
    const all = renderExposition(registry.families(), 'prometheus');
    expect(all).toContain('model-a');
    expect(all).toContain('model-b');
    expect(all).toContain('process_resident_memory_bytes 1');
    const onlyA = renderExposition(registry.families(), 'openmetrics', { project: 'a' });
    expect(onlyA).toContain('argus_gen_ai_requests_total{argus_project="a",');
    expect(onlyA).toContain('argus_gen_ai_errors_total{argus_project="a",');
    expect(onlyA).not.toContain('model-b');
    expect(onlyA).not.toContain('process_resident_memory_bytes');
    expect(onlyA.endsWith('# EOF\n')).toBe(true);
    // A project with no traffic gets an empty (but valid) exposition, not another project's series.
    expect(renderExposition(registry.families(), 'prometheus', { project: 'c' })).toBe('\n');
    expect(renderExposition(registry.families(), 'openmetrics', { project: 'c' })).toBe('# EOF\n');
  });

  it('never throws into the ingest path: a broken span is reported and skipped', () => {
    const errors: unknown[] = [];
    const fresh = new MetricsRegistry();
    const observeFresh = registerGenAiMetrics(fresh, (error) => errors.push(error));
    const broken = {
      ...spanMetricFacts(makeSpan()),
      get durationMs(): number {
        throw new Error('broken');
      },
    };
    expect(() => observeFresh([broken, spanMetricFacts(makeSpan())])).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(
      sampleValue(renderExposition(fresh.families(), 'prometheus'), `argus_gen_ai_requests_total{${LABELS}}`),
    ).toBe(2);
  });
});
