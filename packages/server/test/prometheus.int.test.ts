/**
 * A real Prometheus (Debian's `prometheus` binary) scrapes a real Argus every second: the GenAI
 * counters arrive with their labels and `histogram_quantile` reads the duration histogram.
 * Skipped only where the binary is absent outside CI (CI installs it; see .ci/run).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findExecutable } from '@argus/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { freePort } from './support/process.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const binary = findExecutable('prometheus', process.env.PATH);

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

describe.skipIf(binary === undefined && !process.env.CI)('Prometheus scraping /metrics', () => {
  let argus: TestServer;
  let prometheus: ChildProcess;
  let prometheusUrl = '';
  let output = '';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-prometheus-'));

  beforeAll(async () => {
    if (!binary)
      throw new Error(
        'prometheus is not installed; CI installs it through .ci/run (apt-get install prometheus)',
      );
    argus = await startTestServer();
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    const config = path.join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: argus',
        '    static_configs:',
        `      - targets: ['${new URL(argus.url).host}']`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      binary,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (d) => (output += d));
    prometheus.stderr!.on('data', (d) => (output += d));
    await until(
      async () => (await fetch(`${prometheusUrl}/-/ready`).catch(() => undefined))?.ok === true,
      'ready',
    );
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM');
      const timer = setTimeout(() => prometheus.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await argus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Polls until `check` holds (bounded), failing with Prometheus' output. */
  async function until(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 45_000;
    while (!(await check())) {
      if (prometheus.exitCode !== null)
        throw new Error(`prometheus exited (${prometheus.exitCode}):\n${output}`);
      if (Date.now() > deadline)
        throw new Error(`prometheus: not ${what} within 45 s:\n${output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async function query(promql: string): Promise<Sample[]> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { result: Sample[] } };
    expect(body.status).toBe('success');
    return body.data.result;
  }

  it('collects GenAI counters and histograms that PromQL can aggregate', async () => {
    const traceId = randomHex(16);
    const spans = [
      chatSpanJson(traceId, randomHex(8)),
      chatSpanJson(traceId, randomHex(8)),
      chatSpanJson(traceId, randomHex(8), { model: 'gpt-4o' }),
    ];
    const response = await fetch(`${argus.url}/v1/traces`, {
      method: 'POST',
      body: tracesRequestJson(spans, 'prom-test'),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);

    let series: Sample[] = [];
    await until(async () => {
      series = await query('argus_gen_ai_requests_total');
      return series.reduce((n, s) => n + Number(s.value[1]), 0) === 3;
    }, 'showing 3 requests');
    const byModel = Object.fromEntries(
      series.map((s) => [s.metric.gen_ai_request_model, Number(s.value[1])]),
    );
    expect(byModel).toEqual({ 'gpt-4o-mini': 2, 'gpt-4o': 1 });
    expect(series[0]!.metric).toMatchObject({
      job: 'argus',
      argus_project: 'default',
      service_name: 'prom-test',
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'openai',
    });

    // Every span lasted 850 ms, in the (0.64, 1.28] bucket: the median interpolates to 0.96 s.
    const [median] = await query(
      'histogram_quantile(0.5, sum by (le) (gen_ai_client_operation_duration_seconds_bucket))',
    );
    expect(Number(median!.value[1])).toBeCloseTo(0.96, 9);
    const [tokens] = await query('sum(argus_gen_ai_tokens_total{type="input"})');
    expect(Number(tokens!.value[1])).toBe(960);
    const [up] = await query('up{job="argus"}');
    expect(up!.value[1]).toBe('1');
  });

  it('evaluates every query of the Grafana dashboards in docs/grafana', async () => {
    const exprs: string[] = [];
    for (const name of ['argus-genai.json', 'argus-server.json', 'argus-quality.json']) {
      const file = new URL(`../../../docs/grafana/${name}`, import.meta.url);
      const dashboard = JSON.parse(readFileSync(file, 'utf8')) as {
        panels: { targets?: { expr: string }[] }[];
      };
      for (const panel of dashboard.panels) for (const target of panel.targets ?? []) exprs.push(target.expr);
    }
    expect(exprs.length).toBeGreaterThan(30);
    for (const expr of exprs) {
      const promql = expr
        .replaceAll('$__rate_interval', '1m')
        .replaceAll('$__range', '1h')
        .replaceAll(/\$(project|service|model|environment|instance|score|source)\b/g, '.*');
      const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
      expect(response.status, promql).toBe(200);
    }
  });
});
