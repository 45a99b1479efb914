/**
 * `argus agent --once` against a real server: host metrics from this machine, and a loopback
 * HTTP server serving vLLM-style Prometheus text, read back through /api/v1/metrics/points.
 * Once in-process (runAgent) and once as the real CLI in a child process.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricPointsResult } from '@argus/server';
import { createLogger } from '@argus/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGUS_BIN } from '../../server/test/support/process.ts';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { runAgent } from '../src/index.ts';

const FIXTURE = readFileSync(new URL('../src/fixtures/vllm-metrics.txt', import.meta.url), 'utf8');
// The vLLM process (and its counters) started a minute ago, inside the query window.
const startedSeconds = Math.floor(Date.now() / 1000) - 60;
const EXPOSITION = FIXTURE.replace(/1\.73\d*e\+09/g, `${startedSeconds}`);

let argus: TestServer;
let vllm: http.Server;
let vllmUrl = '';
let scrapes = 0;

beforeAll(async () => {
  argus = await startTestServer();
  vllm = http.createServer((request, response) => {
    scrapes++;
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(EXPOSITION);
  });
  await new Promise<void>((resolve) => vllm.listen(0, '127.0.0.1', resolve));
  vllmUrl = `http://127.0.0.1:${(vllm.address() as AddressInfo).port}/metrics`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => vllm?.close(() => resolve()));
  await argus?.stop();
});

async function points(query: string): Promise<MetricPointsResult> {
  const window = `from=${Date.now() - 10 * 60_000}&to=${Date.now() + 60_000}&step=1d`;
  return argus.get<MetricPointsResult>(`/api/v1/metrics/points?${query}&${window}`);
}
const only = async (query: string) =>
  (await points(query)).series.flatMap((s) => s.points.map((p) => p.value));

describe('argus agent --once (in-process)', () => {
  it('sends host metrics, the scraped vLLM metrics and its scrape errors', async () => {
    const logs: string[] = [];
    const code = await runAgent({
      url: argus.url,
      intervalMs: 10_000,
      scrape: [{ url: vllmUrl, serviceName: 'vllm' }, { url: 'http://127.0.0.1:1/metrics' }],
      serviceName: 'host-agent',
      once: true,
      logger: createLogger('info', (line) => logs.push(line)),
      version: 'test',
      pathList: '',
      send: { maxAttempts: 2, baseDelayMs: 10 },
    });
    expect(code).toBe(0);
    expect(scrapes).toBe(1);
    expect(logs.some((l) => l.includes('no nvidia-smi on PATH'))).toBe(true);
    expect(logs.some((l) => l.includes('scrape failed') && l.includes('127.0.0.1:1'))).toBe(true);

    expect(await only('name=vllm:num_requests_running&attr.service.name=vllm&aggregation=last')).toEqual([3]);
    expect(
      await only('name=vllm:kv_cache_usage_perc&attr.model_name=meta-llama/Llama-3.1-8B-Instruct'),
    ).toEqual([0.4275]);
    // The counters started inside the window, so their whole value is the increase.
    expect(await only('name=vllm:prompt_tokens_total&aggregation=rate')).toEqual([48213 / 86400]);
    expect(
      await only('name=vllm:request_success_total&aggregation=rate&attr.finished_reason=length'),
    ).toEqual([18 / 86400]);
    // Buckets 0,0,0,10,80,160,…: the 215th of 430 is 125/160 into (0.04, 0.06].
    const [p50] = await only('name=vllm:time_to_first_token_seconds&aggregation=p50');
    expect(p50).toBeCloseTo(0.04 + (0.02 * 125) / 160, 12);
    expect(await only('name=vllm:time_to_first_token_seconds&aggregation=avg')).toEqual([27.94 / 430]);
    expect(await only('name=rpc_duration_seconds&aggregation=avg')).toEqual([9.013 / 430]);
    expect(
      await only('name=argus_agent_scrape_errors&attr.url.full=http://127.0.0.1:1/metrics&aggregation=last'),
    ).toEqual([1]);
    const up = await points('name=argus_agent_scrape_up&groupBy=url.full&aggregation=last');
    expect(Object.fromEntries(up.series.map((s) => [s.labels['url.full'], s.points[0]!.value]))).toEqual({
      [vllmUrl]: 1,
      'http://127.0.0.1:1/metrics': 0,
    });

    const [memory] = await only('name=system.memory.usage&attr.service.name=host-agent&aggregation=last');
    expect(memory).toBeGreaterThan(0);
    const idle = await only('name=system.cpu.utilization&attr.cpu.mode=idle&aggregation=max');
    expect(idle[0]).toBeGreaterThanOrEqual(0);
    expect(idle[0]).toBeLessThanOrEqual(1);
    const names = await argus.get<{ data: { name: string }[] }>('/api/v1/metrics/names?q=system.');
    expect(names.data.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        'system.cpu.utilization',
        'system.filesystem.usage',
        'system.network.io',
        'system.process.count',
      ]),
    );
  });

  it('exits 1 when the server cannot be reached, without throwing', async () => {
    const code = await runAgent({
      url: 'http://127.0.0.1:1',
      intervalMs: 10_000,
      scrape: [],
      serviceName: 'host-agent',
      once: true,
      logger: createLogger('silent'),
      version: 'test',
      pathList: '',
      send: { maxAttempts: 2, baseDelayMs: 10 },
    });
    expect(code).toBe(1);
  });
});

function cli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ARGUS_BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: '' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('argus agent (CLI)', () => {
  it('runs once with the flags of the docs and exits 0', async () => {
    const { code, output } = await cli([
      'agent',
      '--once',
      '--url',
      argus.url,
      '--interval',
      '5s',
      '--scrape',
      `vllm-cli=${vllmUrl}`,
      '--service-name',
      'cli-agent',
      '--log-level',
      'warn',
    ]);
    expect(output).toBe('');
    expect(code).toBe(0);
    expect(await only('name=system.process.count&attr.service.name=cli-agent&aggregation=last')).toEqual([
      expect.any(Number),
    ]);
    expect(await only('name=vllm:num_requests_waiting&attr.service.name=vllm-cli&aggregation=last')).toEqual([
      1,
    ]);
  });

  it.each([
    [['agent', '--interval', 'soon'], "Invalid --interval 'soon'", 1],
    [['agent', '--scrape', 'ftp://x'], "Invalid --scrape 'ftp://x'", 1],
    // An unknown flag is a usage error, like every command's (cli/flags.ts).
    [['agent', '--bogus'], "Unknown flag '--bogus'", 2],
  ])('refuses %j with a message', async (args, message, exitCode) => {
    const { code, output } = await cli(args);
    expect(code).toBe(exitCode);
    expect(output).toContain(message);
  });

  it('is listed in --help', async () => {
    const { output } = await cli(['--help']);
    expect(output).toContain('agent');
    expect(output).toContain('--scrape [name=]<url>');
  });
});
