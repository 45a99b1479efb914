/**
 * Real OpenTelemetry JS exporters (protobuf and JSON, gzip) send GenAI telemetry over loopback
 * to a running Argus server; the API must return the canonical fields.
 */

import type { Span } from '@argus/shared';
import { type Context, context, trace as otelTrace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer();
});
afterAll(async () => {
  await argus?.stop();
});

const resource = () =>
  resourceFromAttributes({
    'service.name': 'chat-api',
    'service.version': '1.4.2',
    'deployment.environment.name': 'staging',
  });

/** Emits an agent span with a chat child in OTel GenAI ≥ 1.37 shape through `exporter`. */
async function emitChat(exporter: SpanExporter, prompt: string): Promise<string> {
  const provider = new BasicTracerProvider({
    resource: resource(),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('argus-test', '1.0.0');
  let traceId = '';
  const root = tracer.startSpan('invoke_agent support-bot', {
    kind: SpanKind.INTERNAL,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'support-bot',
      'session.id': 's-42',
      'user.id': 'u-7',
    },
  });
  traceId = root.spanContext().traceId;
  const ctx: Context = otelTrace.setSpan(context.active(), root);
  const chat = tracer.startSpan(
    'chat gpt-4o-mini',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.request.temperature': 0.3,
        'gen_ai.request.top_p': 0.9,
        'gen_ai.request.max_tokens': 100,
        'gen_ai.usage.input_tokens': 21,
        'gen_ai.usage.output_tokens': 11,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.input.messages': JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: prompt }] },
        ]),
        'gen_ai.output.messages': JSON.stringify([
          {
            role: 'assistant',
            parts: [{ type: 'text', content: 'Once upon a time, a fox learned to count tokens.' }],
            finish_reason: 'stop',
          },
        ]),
        'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are Kimi' }]),
        'session.id': 's-42',
        'user.id': 'u-7',
      },
    },
    ctx,
  );
  chat.end();
  const failing = tracer.startSpan(
    'chat gpt-4o-mini',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'error.type': 'RateLimitError',
      },
    },
    ctx,
  );
  failing.setStatus({ code: SpanStatusCode.ERROR, message: '429 Too Many Requests' });
  failing.end();
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  return traceId;
}

async function fetchTrace(traceId: string): Promise<Span[]> {
  const body = await argus.get<{ traceId: string; spans: Span[] }>(`/api/v1/traces/${traceId}`);
  expect(body.traceId).toBe(traceId);
  return body.spans;
}

describe.each([
  { name: 'protobuf', make: (url: string) => new OTLPTraceExporterProto({ url: `${url}/v1/traces` }) },
  {
    name: 'protobuf + gzip',
    make: (url: string) =>
      new OTLPTraceExporterProto({ url: `${url}/v1/traces`, compression: 'gzip' as never }),
  },
  { name: 'JSON', make: (url: string) => new OTLPTraceExporterJson({ url: `${url}/v1/traces` }) },
  {
    name: 'JSON via the Langfuse path',
    make: (url: string) => new OTLPTraceExporterJson({ url: `${url}/api/public/otel/v1/traces` }),
  },
])('traces from the OTel JS exporter ($name)', ({ make }) => {
  it('come back as canonical spans with model, parameters, messages, tokens, cost and errors', async () => {
    const prompt = `Tell me a fairy tale ${Math.random().toString(36).slice(2)}`;
    const traceId = await emitChat(make(argus.url), prompt);
    const spans = await fetchTrace(traceId);
    expect(spans).toHaveLength(3);
    const root = spans.find((s) => s.parentSpanId === '')!;
    const chat = spans.find((s) => s.kind === 'llm' && s.status !== 'error');
    const failed = spans.find((s) => s.kind === 'llm' && s.status === 'error');
    expect(root.kind).toBe('agent');
    expect(root.serviceName).toBe('chat-api');
    expect(root.serviceVersion).toBe('1.4.2');
    expect(root.environment).toBe('staging');
    expect(chat!.parentSpanId).toBe(root.spanId);
    expect(chat).toMatchObject({
      provider: 'openai',
      operation: 'chat',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-07-18',
      params: { temperature: 0.3, topP: 0.9, maxTokens: 100 },
      inputTokens: 21,
      outputTokens: 11,
      totalTokens: 32,
      finishReasons: ['stop'],
      sessionId: 's-42',
      userId: 'u-7',
      costSource: 'computed',
      status: 'unset',
    });
    expect(chat!.costUsd).toBeGreaterThan(0);
    // System instructions stay in their own field and lead the input, as in every other dialect.
    expect(chat!.systemInstructions).toEqual([{ type: 'text', content: 'You are Kimi' }]);
    expect(chat!.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are Kimi' }] },
      { role: 'user', parts: [{ type: 'text', content: prompt }] },
    ]);
    expect(JSON.stringify(chat!.output)).toContain('a fox learned to count tokens');
    expect(failed).toMatchObject({
      status: 'error',
      statusMessage: '429 Too Many Requests',
      errorType: 'RateLimitError',
    });
    expect(chat!.durationMs).toBeGreaterThanOrEqual(0);
    expect(chat!.startTimeUnixNano).toMatch(/^\d{19}$/);

    const list = await argus.get<{
      data: { traceId: string; spanCount: number; errorCount: number; totalTokens: number }[];
    }>(`/api/v1/traces?q=${encodeURIComponent(prompt.split(' ').at(-1)!)}`);
    expect(list.data.map((t) => t.traceId)).toEqual([traceId]);
    expect(list.data[0]).toMatchObject({ spanCount: 3, errorCount: 1, totalTokens: 32 });
  });
});

describe('logs from the OTel JS log exporter', () => {
  it('join GenAI content events to their span', async () => {
    const tracerProvider = new BasicTracerProvider({
      resource: resource(),
      spanProcessors: [
        new SimpleSpanProcessor(new OTLPTraceExporterProto({ url: `${argus.url}/v1/traces` })),
      ],
    });
    const span = tracerProvider
      .getTracer('opentelemetry.instrumentation.openai')
      .startSpan('chat gpt-4o-mini', {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': 5,
          'gen_ai.usage.output_tokens': 3,
        },
      });
    const spanContext = span.spanContext();
    span.end();
    await tracerProvider.forceFlush();

    const loggerProvider = new LoggerProvider({
      resource: resource(),
      processors: [
        new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${argus.url}/v1/logs` }) }),
      ],
    });
    const logger = loggerProvider.getLogger('opentelemetry.instrumentation.openai');
    const ctx = otelTrace.setSpanContext(context.active(), spanContext);
    logger.emit({
      eventName: 'gen_ai.user.message',
      body: { content: 'What is the capital of France?' },
      attributes: { 'gen_ai.system': 'openai' },
      context: ctx,
    });
    logger.emit({
      eventName: 'gen_ai.choice',
      body: { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Paris.' } },
      attributes: { 'gen_ai.system': 'openai' },
      context: ctx,
    });
    await loggerProvider.forceFlush();
    await loggerProvider.shutdown();
    await tracerProvider.shutdown();

    const [chat] = await fetchTrace(spanContext.traceId);
    expect(chat!.input).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'What is the capital of France?' }] },
    ]);
    expect(chat!.output).toMatchObject([
      { role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finishReason: 'stop' },
    ]);
    const found = await argus.get<{ data: { traceId: string }[] }>('/api/v1/traces?q=capital%20france');
    expect(found.data.map((t) => t.traceId)).toContain(spanContext.traceId);
  });
});

describe('metrics from the OTel JS metric exporter', () => {
  it('store every data point with its attributes', async () => {
    const exporter = new OTLPMetricExporter({ url: `${argus.url}/v1/metrics` });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const meterProvider = new MeterProvider({ resource: resource(), readers: [reader] });
    const meter = meterProvider.getMeter('argus-test');
    const tokens = meter.createHistogram('gen_ai.client.token.usage', { unit: '{token}' });
    tokens.record(21, { 'gen_ai.token.type': 'input', 'gen_ai.request.model': 'gpt-4o-mini' });
    tokens.record(11, { 'gen_ai.token.type': 'output', 'gen_ai.request.model': 'gpt-4o-mini' });
    meter.createCounter('gpu.requests').add(7, { gpu: '0' });
    meter.createGauge('hw.gpu.utilization').record(0.83, { 'hw.id': 'gpu0' });
    // shutdown collects and exports once (a forceFlush before it would export a second, later point).
    await meterProvider.shutdown();
    const rows = await argus.server.store.driver.query<{
      metric_name: string;
      metric_type: string;
      value: number;
      count: string;
      sum: number;
      attributes: Record<string, string>;
      service_name: string;
    }>(
      "SELECT metric_name, metric_type, value, count, sum, attributes, service_name FROM metric_points WHERE project_id = 'default' ORDER BY metric_name, sum",
    );
    const byName = (name: string) => rows.filter((r) => r.metric_name === name);
    expect(
      byName('gen_ai.client.token.usage').map((r) => [
        r.metric_type,
        r.attributes['gen_ai.token.type'],
        Number(r.count),
        r.sum,
      ]),
    ).toEqual([
      ['histogram', 'output', 1, 11],
      ['histogram', 'input', 1, 21],
    ]);
    expect(byName('gpu.requests')).toMatchObject([
      { metric_type: 'sum', value: 7, service_name: 'chat-api' },
    ]);
    expect(byName('hw.gpu.utilization')).toMatchObject([{ metric_type: 'gauge', value: 0.83 }]);
  });
});
