/**
 * The OTLP metrics of the metric-points tests: host CPU and memory, GPUs (incl. DCGM) and vLLM
 * at fixed offsets from a whole minute, with values chosen so every aggregate is exact.
 */
import { expect } from 'vitest';
import { gauge, histogram, metricsRequest, sum } from './otlp-metrics.ts';

/** Bytes per GiB. */
export const GIB = 1024 ** 3;
/** Bucket bounds of the TTFT histograms (seconds). */
export const BOUNDS = [0.1, 0.5, 1];

/** Sends every fixture metric to the server at `url`; points lie at `at(seconds)`. */
export async function ingestMetricFixtures(url: string, at: (seconds: number) => number): Promise<void> {
  const HOST = { 'service.name': 'host-agent', 'host.name': 'gpu-box-1' };
  const VLLM = { 'service.name': 'vllm', 'service.instance.id': '127.0.0.1:8000' };
  const LLAMA = { model_name: 'meta-llama/Llama-3.1-8B-Instruct', engine: '0' };

  const post = async (body: string): Promise<void> => {
    const response = await fetch(`${url}/v1/metrics`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(await response.text()).toBe('{}');
  };

  const cpu = (seconds: number, core: number, idle: number) => [
    { atMs: at(seconds), value: idle, attrs: { 'cpu.logical_number': core, 'cpu.mode': 'idle' } },
    { atMs: at(seconds), value: 1 - idle, attrs: { 'cpu.logical_number': core, 'cpu.mode': 'user' } },
  ];
  const memory = (seconds: number, used: number, free: number) =>
    [
      ['used', used],
      ['free', free],
      ['cached', 1e9],
    ].map(([state, value]) => ({
      atMs: at(seconds),
      value: value as number,
      attrs: { 'system.memory.state': state! },
    }));
  const ttft = (seconds: number, startSeconds: number, count: number, total: number, buckets: number[]) => ({
    atMs: at(seconds),
    startMs: at(startSeconds),
    count,
    sum: total,
    buckets,
    bounds: BOUNDS,
    attrs: LLAMA,
  });
  await post(
    metricsRequest(HOST, [
      gauge('system.cpu.utilization', '1', [
        ...cpu(0, 0, 0.75),
        ...cpu(10, 0, 0.5),
        ...cpu(20, 0, 0.25),
        ...cpu(60, 0, 0.125),
        ...cpu(0, 1, 0.875),
        ...cpu(10, 1, 0.625),
        ...cpu(20, 1, 0.75),
        ...cpu(60, 1, 0.375),
      ]),
      sum('system.memory.usage', 'By', false, [...memory(0, 4e9, 12e9), ...memory(30, 5e9, 11e9)]),
      gauge('hw.gpu.utilization', '1', [
        { atMs: at(0), value: 0.5, attrs: { 'hw.id': 'GPU-aaa', gpu: '0' } },
        { atMs: at(10), value: 1, attrs: { 'hw.id': 'GPU-aaa', gpu: '0' } },
        { atMs: at(0), value: 0.25, attrs: { 'hw.id': 'GPU-bbb', gpu: '1' } },
        { atMs: at(10), value: 0.25, attrs: { 'hw.id': 'GPU-bbb', gpu: '1' } },
      ]),
      sum('hw.gpu.memory.usage', 'By', false, [
        { atMs: at(0), value: 40 * GIB, attrs: { 'hw.id': 'GPU-aaa', gpu: '0' } },
        { atMs: at(10), value: 41 * GIB, attrs: { 'hw.id': 'GPU-aaa', gpu: '0' } },
      ]),
    ]),
  );
  const dcgm = { gpu: '0', UUID: 'GPU-aaa', modelName: 'NVIDIA H100 80GB HBM3', Hostname: 'gpu-box-1' };
  await post(
    metricsRequest({ 'service.name': 'dcgm-exporter' }, [
      gauge('DCGM_FI_DEV_GPU_UTIL', '%', [
        { atMs: at(0), value: 87, attrs: dcgm },
        { atMs: at(15), value: 93, attrs: dcgm },
      ]),
    ]),
  );
  await post(
    metricsRequest(VLLM, [
      gauge(
        'vllm:num_requests_running',
        '',
        [
          [0, 2],
          [15, 4],
          [30, 3],
          [60, 5],
        ].map(([s, value]) => ({ atMs: at(s!), value: value!, attrs: LLAMA })),
      ),
      // Cumulative since an hour ago, then the server restarts at +85 s.
      histogram('vllm:time_to_first_token_seconds', 's', [
        ttft(0, -3600, 10, 2, [5, 4, 1, 0]),
        ttft(30, -3600, 20, 5, [8, 9, 3, 0]),
        ttft(60, -3600, 30, 8, [10, 14, 6, 0]),
        ttft(90, 85, 4, 1, [2, 2, 0, 0]),
      ]),
      sum(
        'vllm:prompt_tokens_total',
        '{token}',
        true,
        [
          [0, -3600, 1000],
          [30, -3600, 1600],
          [60, -3600, 2200],
          [90, 80, 300],
        ].map(([s, start, value]) => ({ atMs: at(s!), startMs: at(start!), value: value!, attrs: LLAMA })),
      ),
    ]),
  );
}
