/**
 * `GET /metrics` of a real server after real OTLP ingest: GenAI metrics from the spans (retried
 * duplicates not counted twice), ingest and writer counters, store sizes, process metrics, in
 * both exposition formats (read back with the agent's Prometheus parser).
 */

import { parsePrometheusText, type Sample } from '@argus/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGUS_VERSION } from '../src/version.ts';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;

async function postTraces(body: string, contentType = 'application/json'): Promise<number> {
  const response = await fetch(`${argus.url}/v1/traces`, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
  });
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  argus = await startTestServer();
  const traceId = randomHex(16);
  const failed = chatSpanJson(traceId, randomHex(8), { model: 'gpt-4o' });
  Object.assign(failed, {
    status: { code: 2, message: 'rate limited' },
    attributes: [...failed.attributes, { key: 'error.type', value: { stringValue: 'RateLimitError' } }],
  });
  const body = tracesRequestJson(
    [chatSpanJson(traceId, randomHex(8)), chatSpanJson(traceId, randomHex(8)), failed],
    'chat-api',
  );
  expect(await postTraces(body)).toBe(200);
  // An exporter retrying the same request: stored once, counted once.
  expect(await postTraces(body)).toBe(200);
  expect(await postTraces('nope', 'text/plain')).toBe(415);
});
afterAll(async () => {
  await argus?.stop();
});

async function scrape(accept?: string): Promise<{ contentType: string; text: string; samples: Sample[] }> {
  const response = await fetch(`${argus.url}/metrics`, { headers: accept ? { accept } : {} });
  expect(response.status).toBe(200);
  const text = await response.text();
  const parsed = parsePrometheusText(text);
  expect(parsed.errors).toEqual([]);
  return {
    contentType: response.headers.get('content-type') ?? '',
    text,
    samples: parsed.families.flatMap((f) => f.samples),
  };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}

describe('GET /metrics', () => {
  it('exposes GenAI requests, errors, tokens, cost and latency from the stored spans', async () => {
    const { contentType, samples } = await scrape();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const mini = {
      gen_ai_request_model: 'gpt-4o-mini',
      service_name: 'chat-api',
      gen_ai_provider_name: 'openai',
    };
    const big = { gen_ai_request_model: 'gpt-4o' };
    expect(value(samples, 'argus_gen_ai_requests_total', mini)).toBe(2);
    expect(value(samples, 'argus_gen_ai_requests_total', big)).toBe(1);
    expect(value(samples, 'argus_gen_ai_errors_total', { ...big, error_type: 'RateLimitError' })).toBe(1);
    expect(value(samples, 'argus_gen_ai_tokens_total', { ...mini, type: 'input' })).toBe(640);
    expect(value(samples, 'argus_gen_ai_tokens_total', { ...mini, type: 'output' })).toBe(360);
    expect(value(samples, 'argus_gen_ai_cost_usd_total', mini)).toBeGreaterThan(0);
    // chatSpanJson spans last 850 ms: in the (0.64, 1.28] bucket.
    expect(value(samples, 'gen_ai_client_operation_duration_seconds_bucket', { ...mini, le: '0.64' })).toBe(
      0,
    );
    expect(value(samples, 'gen_ai_client_operation_duration_seconds_bucket', { ...mini, le: '1.28' })).toBe(
      2,
    );
    expect(value(samples, 'gen_ai_client_token_usage_count', { ...mini, gen_ai_token_type: 'input' })).toBe(
      2,
    );
  });

  it('exposes ingest, writer, store and process health', async () => {
    const { samples } = await scrape();
    expect(value(samples, 'argus_ingest_requests_total', { signal: 'traces' })).toBe(3);
    expect(value(samples, 'argus_ingest_items_total', { signal: 'traces', outcome: 'accepted' })).toBe(3);
    expect(value(samples, 'argus_ingest_items_total', { signal: 'traces', outcome: 'duplicate' })).toBe(3);
    expect(value(samples, 'argus_ingest_failed_requests_total', { code: 'UNSUPPORTED_MEDIA_TYPE' })).toBe(1);
    expect(value(samples, 'argus_writer_queue_rows')).toBe(0);
    expect(value(samples, 'argus_writer_inserts_total')).toBeGreaterThanOrEqual(1);
    expect(
      value(samples, 'argus_writer_insert_duration_seconds_count', { table: 'spans' }),
    ).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'argus_store_rows', { table: 'spans' })).toBe(3);
    expect(value(samples, 'argus_store_bytes', { table: 'spans' })).toBeGreaterThan(0);
    expect(value(samples, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(value(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(samples, 'argus_build_info', { version: ARGUS_VERSION })).toBe(1);
  });

  it('answers OpenMetrics to a scraper that asks for it', async () => {
    const { contentType, text, samples } = await scrape(
      'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    );
    expect(contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain('# TYPE argus_gen_ai_requests counter\n');
    expect(value(samples, 'argus_gen_ai_requests_total', { gen_ai_request_model: 'gpt-4o' })).toBe(1);
  });

  it('is described in the OpenAPI document with the metric queries, and each path answers', async () => {
    const doc = await argus.get<{ paths: Record<string, unknown> }>('/api/v1/openapi.json');
    for (const path of ['/metrics', '/api/v1/metrics/points', '/api/v1/metrics/names']) {
      expect(doc.paths[path], path).toBeDefined();
      const response = await fetch(`${argus.url}${path}${path.endsWith('points') ? '?name=x' : ''}`);
      await response.arrayBuffer();
      expect(response.status, path).toBe(200);
    }
  });
});

describe('GET /metrics scoped by project', () => {
  // Runs last: it adds traffic in a second project.
  it('shows a project key only its project’s GenAI series; an instance admin sees every project', async () => {
    const project = 'metrics-team';
    const created = await fetch(`${argus.url}/api/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: project, name: 'Metrics team' }),
    });
    expect(created.status).toBe(201);
    const keyResponse = await fetch(`${argus.url}/api/v1/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-argus-project': project },
      body: JSON.stringify({ name: 'scraper', role: 'member' }),
    });
    expect(keyResponse.status).toBe(201);
    const { secretKey } = (await keyResponse.json()) as { secretKey: string };
    const sent = await fetch(`${argus.url}/v1/traces`, {
      method: 'POST',
      body: tracesRequestJson(
        [chatSpanJson(randomHex(16), randomHex(8), { model: 'team-model' })],
        'team-api',
      ),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secretKey}` },
    });
    expect(sent.status).toBe(200);

    const scoped = await fetch(`${argus.url}/metrics`, { headers: { authorization: `Bearer ${secretKey}` } });
    expect(scoped.status).toBe(200);
    const text = await scoped.text();
    const parsed = parsePrometheusText(text);
    expect(parsed.errors).toEqual([]);
    const samples = parsed.families.flatMap((f) => f.samples);
    expect(value(samples, 'argus_gen_ai_requests_total', { gen_ai_request_model: 'team-model' })).toBe(1);
    expect(new Set(samples.map((s) => s.labels.argus_project))).toEqual(new Set([project]));
    // Server health belongs to the operator, not to a project.
    expect(text).not.toContain('process_resident_memory_bytes');
    expect(text).not.toContain('argus_ingest_requests_total');

    const { samples: all } = await scrape();
    const projects = new Set(
      all.filter((s) => s.name === 'argus_gen_ai_requests_total').map((s) => s.labels.argus_project),
    );
    expect(projects).toEqual(new Set(['default', project]));
    expect(value(all, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
