/**
 * Real telemetry from the official OpenTelemetry JS SDKs, for round-trip tests against the
 * official serializers. Test-only: nothing in the server imports this.
 */
import { Buffer } from 'node:buffer';
import type { HrTime } from '@opentelemetry/api';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { AttrMap, AttrValue, OtlpSpan, TracesRequest } from './types.ts';

/** A tracer whose finished spans land in memory. */
export function createTestTracer(
  resourceAttributes: Record<string, string> = { 'service.name': 'argus-test' },
) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    spanLimits: { attributeCountLimit: 1000, attributeValueLengthLimit: Number.POSITIVE_INFINITY },
  });
  const tracer = provider.getTracer('argus.test', '1.2.3');
  return { exporter, provider, tracer };
}

/**
 * A small trace touching every span field: every attribute type (incl. arrays), events, links,
 * an error status, a parent/child pair, each span kind, and non-ASCII text.
 */
export function sampleSpans(): ReadableSpan[] {
  const { exporter, tracer } = createTestTracer();
  const root = tracer.startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    startTime: [1_795_236_746, 42_000_123],
    attributes: {
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 21,
      'gen_ai.request.temperature': 0.3,
      'gen_ai.request.is_stream': false,
      'negative.int': -42,
      'big.int': 2 ** 60,
      'unicode.text': 'héllo wörld ✓ 日本語 🦊',
      'empty.string': '',
      'string.array': ['stop', 'length'],
      'int.array': [1, 2, -3],
      'double.array': [0.5, 1.25],
      'bool.array': [true, false],
    },
  });
  root.addEvent(
    'gen_ai.content.prompt',
    { 'gen_ai.prompt': 'Tell me a fairy tale' },
    [1_795_236_746, 50_000_000],
  );
  root.addEvent('no attributes', [1_795_236_746, 60_000_000]);
  const ctx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan(
    'tool call',
    {
      kind: SpanKind.INTERNAL,
      startTime: [1_795_236_746, 70_000_000],
      links: [
        {
          context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 },
          attributes: { 'link.reason': 'retry', 'link.n': 2 },
        },
      ],
    },
    ctx,
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'tool failed: "timeout"' });
  child.recordException(new Error('boom'), [1_795_236_746, 80_000_000]);
  child.end([1_795_236_746, 90_000_000]);
  for (const kind of [SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
    tracer.startSpan(`kind ${kind}`, { kind, startTime: [1_795_236_747, 1] }, ctx).end([1_795_236_747, 2]);
  }
  root.setStatus({ code: SpanStatusCode.OK });
  root.end([1_795_236_746, 999_999_999]);
  return exporter.getFinishedSpans();
}

/** Log records with string, map, bytes and absent bodies, inside and outside a span. */
export function sampleLogRecords() {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'argus-test' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('argus.logs', '0.1.0');
  const { tracer } = createTestTracer();
  const span = tracer.startSpan('parent');
  const ctx = trace.setSpan(context.active(), span);
  logger.emit({
    timestamp: [1_795_236_746, 65_000_000],
    observedTimestamp: [1_795_236_746, 66_000_000],
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: 'gen_ai.client.inference.operation.details',
    eventName: 'gen_ai.client.inference.operation.details',
    attributes: { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 21 },
    context: ctx,
  });
  logger.emit({
    timestamp: [1_795_236_746, 67_000_000],
    severityNumber: SeverityNumber.ERROR,
    body: { role: 'assistant', content: ['Once', 'upon'], nested: { ok: true, n: 1.5 } },
  });
  logger.emit({ timestamp: [1_795_236_746, 68_000_000], body: new Uint8Array([0, 1, 2, 250, 255]) });
  logger.emit({ timestamp: [1_795_236_746, 69_000_000], attributes: { only: 'attributes' } });
  span.end();
  return exporter.getFinishedLogRecords();
}

class CollectingReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * One collection of a counter, an up-down counter, a gauge, an explicit-bucket histogram and an
 * exponential histogram (through a View), with int and double values.
 */
export async function sampleMetrics(
  temporality: AggregationTemporality = AggregationTemporality.CUMULATIVE,
): Promise<ResourceMetrics> {
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'argus-test' }),
    readers: [reader],
    views: [{ instrumentName: 'gen_ai.exp.*', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('argus.metrics', '0.2.0');
  const requests = meter.createCounter('gen_ai.requests', { description: 'Requests', unit: '{request}' });
  requests.add(3, { model: 'gpt-4o-mini' });
  requests.add(2, { model: 'claude' });
  const inFlight = meter.createUpDownCounter('gen_ai.in_flight', { valueType: 1 });
  inFlight.add(5);
  inFlight.add(-7);
  meter.createGauge('gpu.temperature', { unit: 'Cel' }).record(71.5, { gpu: '0' });
  const latency = meter.createHistogram('gen_ai.latency', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.1, 0.5, 1, 5] },
  });
  for (const v of [0.05, 0.2, 0.7, 0.9, 3, 12]) latency.record(v, { model: 'gpt-4o-mini' });
  const tokens = meter.createHistogram('gen_ai.exp.tokens', { unit: '{token}' });
  for (const v of [1, 2, 4, 21, 300, 4096, -1]) tokens.record(v);
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw errors[0];
  await provider.shutdown();
  return resourceMetrics;
}

/** Unix nanoseconds of an HrTime. */
export function nanos([seconds, nanoseconds]: HrTime): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds);
}

/** What an SDK attribute or body value must decode to. */
export function expectedValue(value: unknown): AttrValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(expectedValue);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'number' && Number.isInteger(value)) {
    // Integers travel as int64: -0 arrives as 0, and beyond 2^53 as an exact decimal string.
    return Number.isSafeInteger(value) ? value + 0 : BigInt(value).toString();
  }
  if (typeof value === 'object') return expectedMap(value as Record<string, unknown>);
  return value as string | number | boolean;
}

export function expectedMap(attributes: Record<string, unknown> | undefined): AttrMap {
  const map = Object.create(null) as AttrMap;
  for (const [key, value] of Object.entries(attributes ?? {})) map[key] = expectedValue(value);
  return map;
}

export function expectedSpan(span: ReadableSpan): OtlpSpan {
  const ctx = span.spanContext();
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    traceState: ctx.traceState?.serialize() ?? '',
    name: span.name,
    kind: span.kind + 1,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: expectedMap(span.attributes),
    events: span.events.map((event) => ({
      timeUnixNano: nanos(event.time),
      name: event.name,
      attributes: expectedMap(event.attributes),
    })),
    links: span.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      traceState: link.context.traceState?.serialize() ?? '',
      attributes: expectedMap(link.attributes),
    })),
    status: { code: span.status.code, message: span.status.message ?? '' },
    // The OTLP exporters set SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE (0x100) on every span.
    flags: ctx.traceFlags | 0x100,
  };
}

/** The TracesRequest that spans from one tracer (one resource, one scope) must decode to. */
export function expectedTraceRequest(spans: ReadableSpan[]): TracesRequest {
  const scope = spans[0]!.instrumentationScope;
  return {
    resourceSpans: [
      {
        resource: { attributes: expectedMap(spans[0]!.resource.attributes) },
        scopeSpans: [
          {
            scope: { name: scope.name, version: scope.version ?? '', attributes: expectedMap({}) },
            spans: spans.map(expectedSpan),
          },
        ],
      },
    ],
  };
}
