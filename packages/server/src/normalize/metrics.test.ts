/**
 * OTLP metrics: every point of every type becomes one row (GenAI histograms, host gauges,
 * counters, exponential histograms, summaries), with stringified attributes and finite numbers.
 */
import { describe, expect, it } from 'vitest';
import type { MetricsRequest, OtlpDataPoint, OtlpMetric } from '../otlp/types.ts';
import { attrs, CTX, plain, START_NS } from './builders.test-util.ts';
import { normalizeMetrics } from './index.ts';

function point(extra: Partial<OtlpDataPoint>): OtlpDataPoint {
  return {
    attributes: attrs({ 'gen_ai.token.type': 'input', 'server.port': 443, ok: true }),
    startTimeUnixNano: START_NS - 60_000_000_000n,
    timeUnixNano: START_NS,
    flags: 0,
    exemplars: [],
    ...extra,
  };
}

function request(...metrics: OtlpMetric[]): MetricsRequest {
  return {
    resourceMetrics: [
      {
        resource: { attributes: attrs({ 'service.name': 'svc', 'host.cpus': 4 }) },
        scopeMetrics: [{ scope: { name: 'openlit', version: '', attributes: attrs({}) }, metrics }],
      },
    ],
  };
}

function metric(type: OtlpMetric['type'], points: OtlpDataPoint[], name = `m.${type}`): OtlpMetric {
  return {
    name,
    description: 'd',
    unit: '{token}',
    type,
    temporality: 2,
    isMonotonic: type === 'sum',
    points,
  };
}

describe('normalizeMetrics', () => {
  it.each([
    // Why: one row per OTLP metric type; gauges (GPU/host) and counters carry a single value.
    { type: 'gauge' as const, p: { value: 0.75 }, expected: { value: 0.75, sum: 0.75, count: 0 } },
    { type: 'sum' as const, p: { value: 12 }, expected: { value: 12, isMonotonic: true } },
    {
      // Why: the GenAI token-usage histogram with the semconv buckets.
      type: 'histogram' as const,
      p: { count: 3, sum: 90, min: 10, max: 50, bucketCounts: [0, 1, 2], explicitBounds: [1, 16] },
      expected: {
        value: 90,
        sum: 90,
        count: 3,
        min: 10,
        max: 50,
        bucketCounts: [0, 1, 2],
        explicitBounds: [1, 16],
      },
    },
    // Why: exponential histograms (default in some SDKs) keep scale, zero count and both bucket ranges.
    {
      type: 'exponential_histogram' as const,
      p: {
        count: 4,
        sum: 8,
        scale: 2,
        zeroCount: 1,
        positive: { offset: -1, bucketCounts: [1, 2] },
        negative: { offset: 0, bucketCounts: [] },
      },
      expected: {
        value: 8,
        count: 4,
        scale: 2,
        zeroCount: 1,
        positiveOffset: -1,
        positiveBucketCounts: [1, 2],
        negativeOffset: 0,
        negativeBucketCounts: [],
      },
    },
    // Why: summaries (Prometheus-style inference servers) keep their quantiles.
    {
      type: 'summary' as const,
      p: {
        count: 2,
        sum: 3,
        quantiles: [
          { quantile: 0.5, value: 1 },
          { quantile: 0.99, value: 2 },
        ],
      },
      expected: {
        value: 3,
        count: 2,
        quantiles: [
          { quantile: 0.5, value: 1 },
          { quantile: 0.99, value: 2 },
        ],
      },
    },
  ])('$type', ({ type, p, expected }) => {
    const result = normalizeMetrics(request(metric(type, [point(p)])), CTX);
    expect(result.rejected).toBe(0);
    expect(plain(result.points[0])).toMatchObject({
      projectId: 'proj-1',
      metricName: `m.${type}`,
      metricType: type,
      unit: '{token}',
      temporality: 2,
      serviceName: 'svc',
      scope: 'openlit',
      attributes: { 'gen_ai.token.type': 'input', 'server.port': '443', ok: 'true' },
      resourceAttributes: { 'service.name': 'svc', 'host.cpus': '4' },
      timeUnixNano: START_NS.toString(),
      ...expected,
    });
  });

  it('keeps every point and replaces non-finite numbers', () => {
    // Why: NaN sums (empty histograms in some SDKs) must not poison aggregates.
    const points = [
      point({ value: Number.NaN }),
      point({ value: 1 }),
      point({ value: Number.POSITIVE_INFINITY }),
    ];
    const result = normalizeMetrics(request(metric('gauge', points)), CTX);
    expect(result.points.map((p) => p.value)).toEqual([0, 1, 0]);
    const hist = normalizeMetrics(
      request(
        metric('histogram', [point({ sum: Number.NaN, min: Number.NaN, bucketCounts: [1, Number.NaN] })]),
      ),
      CTX,
    );
    expect(hist.points[0]).toMatchObject({ sum: 0, bucketCounts: [1, 0] });
    expect(hist.points[0]?.min).toBeUndefined();
  });

  it.each([
    // Why: a nameless metric cannot be queried; a zero time lands in a dropped partition.
    { m: metric('gauge', [point({ value: 1 })], ''), error: "Cannot accept metric point: 'name' is empty" },
    {
      m: metric('gauge', [point({ value: 1, timeUnixNano: 0n })]),
      error: "Cannot accept metric point: 'timeUnixNano' is 0, expected unix nanoseconds after 1970",
    },
  ])('rejects $error without touching neighbours', ({ m, error }) => {
    const result = normalizeMetrics(request(metric('sum', [point({ value: 1 })]), m), CTX);
    expect(result).toMatchObject({ rejected: 1, errors: [error] });
    expect(result.points).toHaveLength(1);
  });

  it('uses the point time as start when the start is missing or later', () => {
    const result = normalizeMetrics(
      request(metric('gauge', [point({ value: 1, startTimeUnixNano: 0n })])),
      CTX,
    );
    expect(result.points[0]?.startTimeUnixNano).toBe(START_NS);
  });
});
