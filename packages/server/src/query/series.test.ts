import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgusError } from '../errors.ts';
import { openStore, type Store } from '../store/index.ts';
import { metricSeries, parseSeriesParams, type SeriesResult } from './series.ts';
import { hourStart, makeSpan, makeStepSpan, tempConfig } from './test-helpers.ts';

// A hand-computed data set in five minutes of one service:
//   minute 0: three gpt-4o calls (100/200/300 ms, one error, 10/20/30 in, 5 out each, $0.1/0.2/0.3,
//             two streamed: ttft 20/40 ms at 50/25 tok/s) and a tool span (not an LLM request)
//   minute 2: two claude calls (1000/3000 ms, 100 in, 20 out, $1 each, ttft 50/150, 10 tok/s)
//   minute 4: an aggregate parent LLM span (a request, but its usage is counted by its children)
const temp = tempConfig('series');
let store: Store;
const S = hourStart(5);
const svc = 'series-svc';

beforeAll(async () => {
  store = await openStore(temp.config);
  const gpt = { serviceName: svc, requestModel: 'gpt-4o', responseModel: 'gpt-4o', outputTokens: 5 };
  const claude = {
    serviceName: svc,
    provider: 'anthropic',
    requestModel: 'claude-3-5-sonnet',
    responseModel: 'claude-3-5-sonnet',
    inputTokens: 100,
    outputTokens: 20,
    costUsd: 1,
    tokensPerSecond: 10,
  };
  await store.insertSpans([
    makeSpan({
      ...gpt,
      at: S + 1000,
      durationMs: 100,
      inputTokens: 10,
      costUsd: 0.1,
      ttftMs: 20,
      tokensPerSecond: 50,
    }),
    makeSpan({ ...gpt, at: S + 2000, durationMs: 200, inputTokens: 20, costUsd: 0.2, status: 'error' }),
    makeSpan({
      ...gpt,
      at: S + 3000,
      durationMs: 300,
      inputTokens: 30,
      costUsd: 0.3,
      ttftMs: 40,
      tokensPerSecond: 25,
    }),
    makeStepSpan({ serviceName: svc, kind: 'tool', at: S + 4000 }),
    makeSpan({ ...claude, at: S + 120_000, durationMs: 1000, ttftMs: 50, userId: 'u-9' }),
    makeSpan({ ...claude, at: S + 130_000, durationMs: 3000, ttftMs: 150 }),
    makeSpan({
      serviceName: svc,
      requestModel: 'agg-model',
      responseModel: '',
      at: S + 240_000,
      durationMs: 500,
      inputTokens: 200,
      outputTokens: 40,
      costUsd: 2,
      attributes: { 'argus.usage_scope': 'aggregate' },
    }),
    makeSpan({ serviceName: svc, projectId: 'other', at: S + 1000 }),
  ]);
});
afterAll(async () => {
  await store?.close();
  temp.cleanup();
});

const series = async (query: string): Promise<SeriesResult> => {
  const window = `service=${svc}&from=${S}&to=${S + 299_999}`;
  return metricSeries(store.driver, 'default', parseSeriesParams(new URLSearchParams(`${window}&${query}`)));
};

describe('metricSeries', () => {
  it('computes every metric exactly per bucket and fills empty buckets with zeros', async () => {
    const result = await series('step=1m');
    expect(result).toMatchObject({ step: 60, groupBy: null, source: 'rollup' });
    expect(result.from).toBe(new Date(S).toISOString());
    expect(result.to).toBe(new Date(S + 300_000).toISOString());
    expect(result.series).toHaveLength(1);
    const points = result.series[0]!.points;
    expect(points.map((p) => p.time)).toEqual(
      [0, 1, 2, 3, 4].map((m) => new Date(S + m * 60_000).toISOString()),
    );
    expect(points.map((p) => p.requests)).toEqual([3, 0, 2, 0, 1]);
    expect(points.map((p) => p.errors)).toEqual([1, 0, 0, 0, 0]);
    expect(points[0]!.errorRate).toBeCloseTo(1 / 3, 10);
    expect(points.map((p) => p.inputTokens)).toEqual([60, 0, 200, 0, 0]);
    expect(points.map((p) => p.outputTokens)).toEqual([15, 0, 40, 0, 0]);
    expect(points.map((p) => Number(p.costUsd!.toFixed(9)))).toEqual([0.6, 0, 2, 0, 0]);
    expect(points[0]!.tokensPerSecond).toBeCloseTo(10 / 0.3, 6);
    expect(points[2]!.tokensPerSecond).toBeCloseTo(10, 6);
    expect(points[0]!.latencyP50).toBeGreaterThanOrEqual(150);
    expect(points[0]!.latencyP50).toBeLessThanOrEqual(250);
    expect(points[0]!.latencyP99).toBeGreaterThanOrEqual(250);
    expect(points[2]!.ttftP50).toBeGreaterThanOrEqual(50);
    expect(points[2]!.ttftP50).toBeLessThanOrEqual(150);
    expect(points[4]!.latencyP50).toBeCloseTo(500, 6);
    expect(points[1]).toEqual({
      time: points[1]!.time,
      ...Object.fromEntries(Object.keys(result.totals).map((k) => [k, 0])),
    });
    expect(result.totals).toMatchObject({ requests: 6, errors: 1, inputTokens: 260, outputTokens: 55 });
    expect(result.totals.errorRate).toBeCloseTo(1 / 6, 10);
    expect(result.totals.costUsd).toBeCloseTo(2.6, 9);
    expect(result.totals.tokensPerSecond).toBeCloseTo(50 / 4.3, 6);
  });

  it('gives the same counts from raw spans as from the rollup', async () => {
    const rollup = await series('step=1m');
    // Naming every status is no filter at all, but status is not a rollup dimension.
    const raw = await series('step=1m&status=ok&status=error&status=unset');
    expect(raw.source).toBe('raw');
    const pick = (r: SeriesResult) =>
      r.series[0]!.points.map((p) => [
        p.requests,
        p.errors,
        p.inputTokens,
        p.outputTokens,
        p.costUsd!.toFixed(9),
      ]);
    expect(pick(raw)).toEqual(pick(rollup));
    expect(raw.series[0]!.points[0]!.latencyP50).toBeCloseTo(200, 6);
    expect(raw.series[0]!.points[2]!.ttftP50).toBeCloseTo(100, 6);
    expect(raw.totals).toMatchObject({ requests: 6, errors: 1, inputTokens: 260, outputTokens: 55 });
    expect(raw.totals.tokensPerSecond).toBeCloseTo(rollup.totals.tokensPerSecond!, 9);
  });

  it('gives the same hourly numbers from the hourly rollup as from raw spans', async () => {
    // Regression guard for spans_1h (fed from spans_1m by a cascading view).
    const hourly = await series('step=1h');
    const raw = await series('step=1h&status=ok&status=error&status=unset');
    expect(hourly.source).toBe('rollup');
    expect(raw.source).toBe('raw');
    const pick = (r: SeriesResult) =>
      r.series[0]!.points.map((p) => [
        p.requests,
        p.errors,
        p.inputTokens,
        p.outputTokens,
        p.costUsd!.toFixed(9),
      ]);
    expect(pick(hourly)).toEqual(pick(raw));
    expect(hourly.totals).toMatchObject({ requests: 6, errors: 1, inputTokens: 260, outputTokens: 55 });
    const rows = await store.driver.query<{ n: string }>('SELECT count() AS n FROM spans_1h');
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });

  it('reads raw spans for sub-minute steps', async () => {
    const result = await series('step=30s&metrics=requests');
    expect(result.source).toBe('raw');
    expect(result.series[0]!.points.map((p) => p.requests)).toEqual([3, 0, 0, 0, 2, 0, 0, 0, 1, 0]);
  });

  it.each([
    ['groupBy=model', 'model', { 'gpt-4o': 3, 'claude-3-5-sonnet': 2, 'agg-model': 1 }],
    ['groupBy=provider', 'provider', { openai: 4, anthropic: 2 }],
    ['groupBy=kind&kind=llm&kind=tool', 'kind', { llm: 6, tool: 1 }],
  ])('groups by %s, busiest first', async (query, key, expected) => {
    const result = await series(`step=1m&${query}`);
    expect(result.groupBy).toBe(key);
    const totals = result.series.map((s) => [
      s.group[key as 'model'],
      s.points.reduce((n, p) => n + p.requests!, 0),
    ]);
    expect(Object.fromEntries(totals)).toEqual(expected);
    expect(totals.map(([, n]) => n)).toEqual(
      [...totals.map(([, n]) => n)].sort((a, b) => Number(b) - Number(a)),
    );
    expect(result.series.every((s) => s.points.length === 5)).toBe(true);
  });

  it.each([
    ['model=gpt-4o', 3, 'rollup'],
    ['provider=anthropic', 2, 'rollup'],
    ['kind=tool', 1, 'rollup'],
    ['userId=u-9', 1, 'raw'],
    ['q=hello', 6, 'raw'],
    ['minDurationMs=1000', 2, 'raw'],
  ])('filters ?%s → %i requests from %s', async (query, requests, source) => {
    const result = await series(`metrics=requests&${query}`);
    expect(result.totals).toEqual({ requests });
    expect(result.source).toBe(source);
  });

  it('returns only the requested metrics', async () => {
    const result = await series('metrics=requests,costUsd');
    expect(Object.keys(result.totals).sort()).toEqual(['costUsd', 'requests']);
    expect(Object.keys(result.series[0]!.points[0]!).sort()).toEqual(['costUsd', 'requests', 'time']);
  });

  it('chooses a default step giving at most 300 points', () => {
    const day = parseSeriesParams(new URLSearchParams(''));
    expect(day.stepSeconds).toBe(300);
    expect(day.filters.kinds).toEqual(['llm']);
    const hour = parseSeriesParams(new URLSearchParams(`from=${Date.now() - 3600_000}`));
    expect(hour.stepSeconds).toBe(60);
  });

  it.each([
    ['step=1s', 'step', 'points over the window; the most is 2000'],
    ['step=fast', 'step', 'is not a duration'],
    ['step=0', 'step', 'is not a duration'],
    ['groupBy=user', 'groupBy', 'is not one of model, provider, service, environment, kind'],
    ['metrics=requests,p50', 'metrics', "'p50' is not one of requests"],
    ['limit=5', 'limit', 'Unknown parameter'],
  ])('rejects ?%s naming %s', (query, param, message) => {
    let error: unknown;
    try {
      parseSeriesParams(new URLSearchParams(query));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgusError);
    expect((error as ArgusError).message).toContain(`'${param}'`);
    expect((error as ArgusError).message).toContain(message);
  });
});
