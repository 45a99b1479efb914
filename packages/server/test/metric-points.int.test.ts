/**
 * `GET /api/v1/metrics/points` and `/metrics/names` against a real server fed real OTLP metrics:
 * the OTel JS SDK's protobuf exporter, and hand-built OTLP/JSON in the shapes host agents, GPU
 * exporters (incl. DCGM) and vLLM send. Values are chosen so every aggregate is exact.
 */
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricPointsResult } from '../src/query/index.ts';
import { BOUNDS, GIB, ingestMetricFixtures } from './support/metric-fixtures.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
// Whole minutes, 30 minutes ago: every fixture point is at base + seconds.
const base = Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000;
const at = (seconds: number) => base + seconds * 1000;

beforeAll(async () => {
  argus = await startTestServer();
  await ingestMetricFixtures(argus.url, at);
});
afterAll(async () => {
  await argus?.stop();
});

const window = `from=${base}&to=${at(119)}&step=60s`;
async function points(query: string): Promise<MetricPointsResult> {
  return argus.get<MetricPointsResult>(`/api/v1/metrics/points?${query}`);
}
/** Series as [labels, [bucket offset s, value] …] for compact assertions. */
async function series(query: string): Promise<[Record<string, string>, [number, number][]][]> {
  const result = await points(query);
  return result.series.map((s) => [
    s.labels,
    s.points.map((p) => [(Date.parse(p.time) - base) / 1000, p.value]),
  ]);
}

describe('GET /api/v1/metrics/points: gauges and sums', () => {
  it('averages CPU idle per core, per minute bucket', async () => {
    const result = await points(
      `name=system.cpu.utilization&attr.cpu.mode=idle&groupBy=cpu.logical_number&${window}`,
    );
    expect(result).toMatchObject({
      name: 'system.cpu.utilization',
      unit: '1',
      type: 'gauge',
      aggregation: 'avg',
      step: 60,
    });
    expect(result.from).toBe(new Date(base).toISOString());
    expect(
      await series(`name=system.cpu.utilization&attr.cpu.mode=idle&groupBy=cpu.logical_number&${window}`),
    ).toEqual([
      [
        { 'cpu.logical_number': '0' },
        [
          [0, 0.5],
          [60, 0.125],
        ],
      ],
      [
        { 'cpu.logical_number': '1' },
        [
          [0, 0.75],
          [60, 0.375],
        ],
      ],
    ]);
  });

  it.each([
    [
      'max',
      [
        [0, 0.875],
        [60, 0.375],
      ],
    ],
    [
      'min',
      [
        [0, 0.25],
        [60, 0.125],
      ],
    ],
    [
      'sum',
      [
        [0, 3.75],
        [60, 0.5],
      ],
    ],
  ])('takes the %s over all cores', async (aggregation, expected) => {
    expect(
      await series(`name=system.cpu.utilization&attr.cpu.mode=idle&aggregation=${aggregation}&${window}`),
    ).toEqual([[{}, expected]]);
  });

  it('takes the last memory value per state, and sums the states without groupBy', async () => {
    const query = `name=system.memory.usage&aggregation=last&${window}`;
    expect(await series(`${query}&groupBy=system.memory.state`)).toEqual([
      [{ 'system.memory.state': 'cached' }, [[0, 1e9]]],
      [{ 'system.memory.state': 'free' }, [[0, 11e9]]],
      [{ 'system.memory.state': 'used' }, [[0, 5e9]]],
    ]);
    expect(await series(query)).toEqual([[{}, [[0, 17e9]]]]);
  });

  it('filters GPUs by a point attribute (any of repeated values) and groups by another', async () => {
    expect(await series(`name=hw.gpu.utilization&attr.gpu=0&${window}`)).toEqual([[{}, [[0, 0.75]]]]);
    expect(
      await series(`name=hw.gpu.utilization&attr.gpu=0&attr.gpu=1&aggregation=max&groupBy=hw.id&${window}`),
    ).toEqual([
      [{ 'hw.id': 'GPU-aaa' }, [[0, 1]]],
      [{ 'hw.id': 'GPU-bbb' }, [[0, 0.25]]],
    ]);
    expect(await series(`name=hw.gpu.memory.usage&attr.gpu=0&aggregation=last&${window}`)).toEqual([
      [{}, [[0, 41 * GIB]]],
    ]);
  });

  it('reads DCGM metrics grouped by two labels', async () => {
    expect(await series(`name=DCGM_FI_DEV_GPU_UTIL&groupBy=modelName,gpu&${window}`)).toEqual([
      [{ modelName: 'NVIDIA H100 80GB HBM3', gpu: '0' }, [[0, 90]]],
    ]);
  });

  it('matches resource attributes too, and groups by them', async () => {
    const query = `name=vllm:num_requests_running&aggregation=last&${window}`;
    expect(await series(`${query}&attr.service.name=vllm`)).toEqual([
      [
        {},
        [
          [0, 3],
          [60, 5],
        ],
      ],
    ]);
    expect(await series(`${query}&attr.service.name=sglang`)).toEqual([]);
    expect(
      await series(
        `name=vllm:num_requests_running&aggregation=max&groupBy=service.name,model_name&${window}`,
      ),
    ).toEqual([
      [
        { 'service.name': 'vllm', model_name: 'meta-llama/Llama-3.1-8B-Instruct' },
        [
          [0, 4],
          [60, 5],
        ],
      ],
    ]);
  });

  it('rates a counter across a reset (the default for monotonic sums)', async () => {
    const result = await points(`name=vllm:prompt_tokens_total&${window}`);
    expect(result.aggregation).toBe('rate');
    // +600 in the first minute; +600 and, after the restart, +300 in the second.
    expect(result.series[0]!.points.map((p) => p.value)).toEqual([10, 15]);
  });

  it('answers an empty result for a name with no points', async () => {
    expect(await points(`name=no.such.metric&${window}`)).toMatchObject({ type: null, unit: '', series: [] });
  });
});

describe('GET /api/v1/metrics/points: histograms', () => {
  const query = `name=vllm:time_to_first_token_seconds&${window}`;

  it.each([
    // First minute: +10 observations (3 ≤ 0.1 s, 5 ≤ 0.5 s, 2 ≤ 1 s) summing 3 s.
    // Second minute: +10 more, then a restart adds 4: 14 observations summing 4 s.
    ['rate', [10 / 60, 14 / 60]],
    ['avg', [0.3, 4 / 14]],
    ['sum', [3, 4]],
    ['p50', [0.1 + 0.4 * (2 / 5), 0.1 + 0.4 * (3 / 7)]],
    ['p99', [0.5 + 0.5 * (1.9 / 2), 0.5 + 0.5 * (2.86 / 3)]],
  ])('%s from bucket increases', async (aggregation, expected) => {
    const result = await points(`${query}&aggregation=${aggregation}`);
    expect(result.type).toBe('histogram');
    const values = result.series[0]!.points.map((p) => p.value);
    expect(values).toHaveLength(2);
    for (const [i, value] of values.entries()) expect(value).toBeCloseTo(expected[i]!, 12);
  });

  it('finds the baseline of the first bucket before the window', async () => {
    const result = await points(
      `name=vllm:time_to_first_token_seconds&aggregation=sum&from=${at(30)}&to=${at(59)}&step=30s`,
    );
    expect(result.series[0]!.points).toEqual([{ time: new Date(at(30)).toISOString(), value: 3 }]);
  });
});

describe('metrics from the OTel JS SDK (protobuf)', () => {
  it('rates a counter and takes percentiles of a histogram with advised buckets', async () => {
    const exporter = new OTLPMetricExporter({ url: `${argus.url}/v1/metrics` });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'sdk-app' }),
      readers: [reader],
    });
    const meter = provider.getMeter('argus-test');
    const requests = meter.createCounter('app.requests');
    const latency = meter.createHistogram('app.latency', {
      unit: 's',
      advice: { explicitBucketBoundaries: BOUNDS },
    });
    requests.add(10, { route: '/chat' });
    for (const seconds of [0.2, 0.3, 0.7]) latency.record(seconds);
    // The SDK stamps times in whole ms; a start equal to the point's time reads as "start unknown".
    await new Promise((r) => setTimeout(r, 5));
    await reader.forceFlush();
    requests.add(5, { route: '/chat' });
    latency.record(0.05);
    await provider.shutdown();
    // One-day buckets: both exports land in one bucket (unless they straddle midnight UTC).
    const day = `from=${Date.now() - 3_600_000}&to=${Date.now()}&step=1d`;
    const total = async (q: string) => {
      const result = await points(`${q}&${day}`);
      return result.series.flatMap((s) => s.points).reduce((n, p) => n + p.value, 0);
    };
    expect((await total('name=app.requests&attr.route=/chat')) * 86_400).toBeCloseTo(15, 9);
    expect(await total('name=app.latency&aggregation=sum')).toBeCloseTo(1.25, 12);
    // min and max come from the points' own min/max (lifetime values of a cumulative histogram).
    expect(await total('name=app.latency&aggregation=min')).toBe(0.05);
    expect(await total('name=app.latency&aggregation=max')).toBe(0.7);
    // Buckets [1, 2, 1, 0]: the 2nd of 4 observations is halfway into (0.1, 0.5].
    expect(await total('name=app.latency&aggregation=p50')).toBeCloseTo(0.3, 12);
  });
});

describe('GET /api/v1/metrics/names', () => {
  it('lists names in the window with type, unit and point counts, filtered by q', async () => {
    const all = await argus.get<{
      data: { name: string; type: string; unit: string; points: number; lastSeen: string }[];
    }>(`/api/v1/metrics/names?from=${base}&to=${at(119)}`);
    expect(all.data.map((m) => m.name)).toEqual([
      'DCGM_FI_DEV_GPU_UTIL',
      'hw.gpu.memory.usage',
      'hw.gpu.utilization',
      'system.cpu.utilization',
      'system.memory.usage',
      'vllm:num_requests_running',
      'vllm:prompt_tokens_total',
      'vllm:time_to_first_token_seconds',
    ]);
    expect(all.data.find((m) => m.name === 'vllm:time_to_first_token_seconds')).toEqual({
      name: 'vllm:time_to_first_token_seconds',
      type: 'histogram',
      unit: 's',
      description: '',
      points: 4,
      lastSeen: new Date(at(90)).toISOString(),
    });
    const vllm = await argus.get<{ data: { name: string }[] }>(
      `/api/v1/metrics/names?from=${base}&to=${at(119)}&q=VLLM&limit=2`,
    );
    expect(vllm.data.map((m) => m.name)).toEqual(['vllm:num_requests_running', 'vllm:prompt_tokens_total']);
  });
});

describe('bad requests', () => {
  it.each([
    ['/api/v1/metrics/points', 'name'],
    ['/api/v1/metrics/points?name=x&aggregation=median', 'aggregation'],
    ['/api/v1/metrics/points?name=x&groupBy=a,b,c,d', 'groupBy'],
    ['/api/v1/metrics/points?name=x&attr.=1', 'attr.'],
    ['/api/v1/metrics/points?name=x&attr.gpu=', 'attr.gpu'],
    ['/api/v1/metrics/points?name=x&nme=y', 'nme'],
    ['/api/v1/metrics/points?name=x&from=yesterday', 'from'],
    ['/api/v1/metrics/points?name=x&step=1s', 'step'],
    [`/api/v1/metrics/points?name=system.cpu.utilization&aggregation=rate&${window}`, 'aggregation'],
    [`/api/v1/metrics/points?name=system.memory.usage&aggregation=rate&${window}`, 'aggregation'],
    [`/api/v1/metrics/points?name=vllm:prompt_tokens_total&aggregation=p95&${window}`, 'aggregation'],
    [
      `/api/v1/metrics/points?name=vllm:time_to_first_token_seconds&aggregation=last&${window}`,
      'aggregation',
    ],
    ['/api/v1/metrics/names?limit=0', 'limit'],
    ['/api/v1/metrics/names?service=x', 'service'],
  ])('GET %s → 400 INVALID_PARAMETER naming %s', async (path, param) => {
    const response = await fetch(argus.url + path);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain(`'${param}'`);
  });

  it('binds attribute keys and values as parameters: injections find nothing and break nothing', async () => {
    for (const attack of ["' OR 1=1 --", "x'] OR 1=1 --", '{name:String}', 'a\\']) {
      const key = encodeURIComponent(attack);
      expect(await series(`name=system.cpu.utilization&attr.${key}=${key}&${window}`)).toEqual([]);
      const grouped = await series(`name=system.cpu.utilization&attr.cpu.mode=idle&groupBy=${key}&${window}`);
      expect(grouped).toEqual([
        [
          { [attack]: '' },
          [
            [0, 0.625],
            [60, 0.25],
          ],
        ],
      ]);
    }
  });
});
