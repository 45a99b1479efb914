import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FirstSeen, familiesToMetrics } from './prometheus-otlp.ts';
import { parsePrometheusText } from './prometheus-text.ts';

const VLLM = readFileSync(new URL('./fixtures/vllm-metrics.txt', import.meta.url), 'utf8');
const T = 1_731_000_000_000_000_000n;
const MODEL = { engine: '0', model_name: 'meta-llama/Llama-3.1-8B-Instruct' };

function convert(text: string, starts = new FirstSeen()) {
  return familiesToMetrics(parsePrometheusText(text).families, T, starts);
}

describe('familiesToMetrics', () => {
  const metrics = convert(VLLM);
  const byName = (name: string) => metrics.find((m) => m.name === name);

  it('turns gauges into gauges with labels as attributes', () => {
    expect(byName('vllm:num_requests_running')).toMatchObject({
      kind: 'gauge',
      description: 'Number of requests in model execution batches.',
      points: [{ attributes: MODEL, timeNs: T, value: 3 }],
    });
  });

  it('turns counters into monotonic sums, taking the start from the _created gauge family', () => {
    expect(byName('vllm:prompt_tokens_total')).toMatchObject({
      kind: 'sum',
      monotonic: true,
      points: [{ attributes: MODEL, value: 48213, startNs: 1_730_000_012_100_000_000n }],
    });
    // The _created family is folded into its counter rather than sent as a gauge of its own.
    expect(byName('vllm:prompt_tokens_created')).toBeUndefined();
  });

  it('turns cumulative le buckets into per-bucket counts with finite bounds', () => {
    const ttft = byName('vllm:time_to_first_token_seconds')!;
    expect(ttft.kind).toBe('histogram');
    expect(ttft.points).toEqual([
      {
        attributes: MODEL,
        timeNs: T,
        startNs: 1_730_000_012_300_000_000n,
        count: 430,
        sum: 27.94,
        bounds: [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5],
        bucketCounts: [0, 0, 0, 10, 80, 160, 80, 40, 40, 20, 0],
      },
    ]);
  });

  it('keeps summaries with their quantiles', () => {
    expect(byName('rpc_duration_seconds')?.points).toEqual([
      {
        attributes: { service: 'router' },
        timeNs: T,
        // No _created and no process start known to the converter: first sighting.
        startNs: T,
        count: 430,
        sum: 9.013,
        quantiles: [
          { quantile: 0.5, value: 0.0184 },
          { quantile: 0.99, value: 0.0602 },
        ],
      },
    ]);
  });

  it('starts a counter without _created at the process start, else at its first sighting', () => {
    const text = '# TYPE jobs_total counter\njobs_total 5\n';
    const starts = new FirstSeen();
    expect(convert(text, starts)[0]!.points[0]!.startNs).toBe(T);
    const later = familiesToMetrics(parsePrometheusText(text).families, T + 10n, starts);
    expect(later[0]!.points[0]!.startNs).toBe(T);
    starts.processStartNs = T - 100n;
    expect(convert(text, starts)[0]!.points[0]!.startNs).toBe(T - 100n);
  });

  it('reads an OpenMetrics histogram without a +Inf bucket from its _count', () => {
    const text = [
      '# TYPE lat histogram',
      'lat_bucket{le="1.0"} 2',
      'lat_bucket{le="2.0"} 3',
      'lat_count 5',
      'lat_sum 9',
      'lat_created 1700000000',
      '# EOF',
    ].join('\n');
    expect(convert(text)[0]!.points[0]).toMatchObject({
      count: 5,
      bounds: [1, 2],
      bucketCounts: [2, 1, 2],
      startNs: 1_700_000_000_000_000_000n,
    });
  });
});
