/**
 * Confidence over time, as a user would read it: local-model spans send their logprobs in the
 * `argus.logprobs` attribute (a plain list, an OTLP array, the legacy completions shape); the
 * series API answers mean and p95 perplexity, the low-probability share and the count of spans
 * with logprobs per model (only when asked for by name, from raw spans), and an alert source
 * reads them, with no value for a window without logprobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWindowValue } from '../src/alerts/sources.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
const HOUR = 3600_000;
const base = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;

const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');
const attr = (key: string, value: unknown) => ({ key, value });

/** One local-model chat span at `startMs` with the given logprobs attribute value (OTLP AnyValue). */
function span(i: number, model: string, startMs: number, logprobs?: unknown) {
  return {
    traceId: hex(i + 1, 16),
    spanId: hex(i + 1, 8),
    name: `chat ${model}`,
    kind: 3,
    startTimeUnixNano: `${startMs}000000`,
    endTimeUnixNano: `${startMs + 200}000000`,
    attributes: [
      attr('gen_ai.operation.name', { stringValue: 'chat' }),
      attr('gen_ai.provider.name', { stringValue: 'vllm' }),
      attr('gen_ai.request.model', { stringValue: model }),
      ...(logprobs === undefined ? [] : [attr('argus.logprobs', logprobs)]),
    ],
    status: { code: 1 },
  };
}

const text = (value: unknown) => ({ stringValue: JSON.stringify(value) });
const doubles = (values: number[]) => ({
  arrayValue: { values: values.map((doubleValue) => ({ doubleValue })) },
});

beforeAll(async () => {
  argus = await startTestServer();
  const spans = [
    // llama: perplexities e^0.5 and e^1.5 in the first hour; low-probability shares 1/2 and 2/2.
    span(0, 'llama', base + 60_000, text([-0.25, -0.75])),
    span(1, 'llama', base + 120_000, doubles([-1, -2])),
    // qwen: the legacy completions shape (first echoed token has none), second hour.
    span(
      2,
      'qwen',
      base + HOUR + 60_000,
      text({ tokens: ['a', 'b', 'c'], token_logprobs: [null, -0.1, -0.3] }),
    ),
    // No logprobs, and unreadable ones: counted as requests, never in the figures.
    span(3, 'llama', base + 180_000),
    span(4, 'llama', base + 240_000, { stringValue: 'not json' }),
  ];
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', { stringValue: 'local-llm' })] },
        scopeSpans: [{ scope: { name: 'custom' }, spans }],
      },
    ],
  };
  const response = await fetch(`${argus.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}, 60_000);

afterAll(() => argus?.stop());

type Series = {
  source: string;
  series: { group: { model?: string }; points: Record<string, number | string>[] }[];
  totals: Record<string, number>;
};

const window = `from=${base}&to=${base + 2 * HOUR - 1}&step=1h`;

describe('confidence series', () => {
  it('answers per-model perplexity over time from raw spans', async () => {
    const metrics = 'perplexityMean,perplexityP95,lowProbShare,logprobRequests,requests';
    const result = await argus.get<Series>(
      `/api/v1/metrics/series?${window}&metrics=${metrics}&groupBy=model`,
    );
    expect(result.source).toBe('raw');
    const llama = result.series.find((s) => s.group.model === 'llama')!;
    expect(llama.points[0]).toMatchObject({ requests: 4, logprobRequests: 2, lowProbShare: 0.75 });
    expect(llama.points[0]?.perplexityMean).toBeCloseTo((Math.exp(0.5) + Math.exp(1.5)) / 2, 12);
    expect(llama.points[1]).toMatchObject({ requests: 0, logprobRequests: 0, perplexityMean: 0 });
    const qwen = result.series.find((s) => s.group.model === 'qwen')!;
    expect(qwen.points[1]?.perplexityMean).toBeCloseTo(Math.exp(0.2), 12);
    expect(qwen.points[1]?.lowProbShare).toBe(0);
    expect(result.totals.logprobRequests).toBe(3);
  });

  it('leaves the confidence metrics out by default, so default series still read the rollup', async () => {
    const result = await argus.get<Series>(`/api/v1/metrics/series?${window}`);
    expect(result.source).toBe('rollup');
    expect(Object.keys(result.totals)).not.toContain('perplexityMean');
  });

  it('filters series and spans by perplexity', async () => {
    const result = await argus.get<Series>(
      `/api/v1/metrics/series?${window}&metrics=logprobRequests&minPerplexity=2`,
    );
    expect(result.totals.logprobRequests).toBe(1);
    const spans = await argus.get<{ data: { spanId: string }[] }>(
      `/api/v1/spans?from=${base}&to=${base + 2 * HOUR}&maxPerplexity=1.5`,
    );
    expect(spans.data.map((s) => s.spanId)).toEqual([hex(3, 8)]);
  });

  it('is an alert source with no value for a window without logprobs', async () => {
    const driver = argus.server.store.driver;
    const source = { kind: 'series', metric: 'perplexityMean', filters: { model: 'llama' } } as const;
    const first = await readWindowValue(driver, 'default', source, { fromMs: base, toMs: base + HOUR });
    expect(first).toBeCloseTo((Math.exp(0.5) + Math.exp(1.5)) / 2, 12);
    const second = await readWindowValue(driver, 'default', source, {
      fromMs: base + HOUR,
      toMs: base + 2 * HOUR,
    });
    expect(second).toBeUndefined();
  });
});
