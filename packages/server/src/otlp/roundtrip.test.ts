/**
 * Round trips through the official OpenTelemetry JS SDKs and serializers: real spans, log records
 * and metrics, serialized to OTLP protobuf and JSON, must decode to exactly what the SDK held.
 */
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_LIMITS, decodeLogs, decodeMetrics, decodeTraces } from './index.ts';
import {
  expectedMap,
  expectedTraceRequest,
  expectedValue,
  nanos,
  sampleLogRecords,
  sampleMetrics,
  sampleSpans,
} from './sdk-samples.test-util.ts';
import type { MetricsRequest, OtlpDataPoint, OtlpMetric } from './types.ts';

const limits = DEFAULT_DECODE_LIMITS;

describe('traces from the OpenTelemetry JS SDK', () => {
  const spans = sampleSpans();
  const expected = expectedTraceRequest(spans);

  it('decode exactly from the official protobuf serializer', () => {
    const body = ProtobufTraceSerializer.serializeRequest(spans)!;
    expect(decodeTraces(body, 'protobuf', limits)).toStrictEqual(expected);
  });

  it('decode exactly from the official JSON serializer', () => {
    const body = JsonTraceSerializer.serializeRequest(spans)!;
    expect(decodeTraces(body, 'json', limits)).toStrictEqual(expected);
  });

  it('cover what the sample promises', () => {
    const decoded = expected.resourceSpans[0]!.scopeSpans[0]!.spans;
    const root = decoded.find((span) => span.parentSpanId === '')!;
    expect(root.attributes['big.int']).toBe('1152921504606846976');
    expect(root.attributes['int.array']).toEqual([1, 2, -3]);
    expect(decoded.map((span) => span.kind).sort()).toEqual([1, 2, 3, 4, 5]);
    const child = decoded.find((span) => span.name === 'tool call')!;
    expect(child.parentSpanId).toBe(root.spanId);
    expect(child.status).toEqual({ code: 2, message: 'tool failed: "timeout"' });
    expect(child.links[0]!.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(child.events[0]!.name).toBe('exception');
  });
});

function expectedLogs(records: ReadableLogRecord[]) {
  const scope = records[0]!.instrumentationScope;
  return {
    resourceLogs: [
      {
        resource: { attributes: expectedMap(records[0]!.resource.attributes) },
        scopeLogs: [
          {
            scope: { name: scope.name, version: scope.version ?? '', attributes: expectedMap({}) },
            logRecords: records.map((record) => ({
              timeUnixNano: nanos(record.hrTime),
              observedTimeUnixNano: nanos(record.hrTimeObserved),
              severityNumber: record.severityNumber ?? 0,
              severityText: record.severityText ?? '',
              body: expectedValue(record.body),
              attributes: expectedMap(record.attributes),
              flags: record.spanContext?.traceFlags ?? 0,
              traceId: record.spanContext?.traceId ?? '',
              spanId: record.spanContext?.spanId ?? '',
              eventName: record.eventName ?? '',
            })),
          },
        ],
      },
    ],
  };
}

describe('logs from the OpenTelemetry JS SDK', () => {
  const records = sampleLogRecords();
  const expected = expectedLogs(records);

  it.each([
    ['protobuf', ProtobufLogsSerializer],
    ['json', JsonLogsSerializer],
  ] as const)('decode exactly from the official %s serializer', (format, serializer) => {
    const decoded = decodeLogs(serializer.serializeRequest(records)!, format, limits);
    expect(decoded).toStrictEqual(expected);
    const bodies = decoded.resourceLogs[0]!.scopeLogs[0]!.logRecords.map((record) => record.body);
    expect(bodies[2]).toBe('AAEC+v8=');
    expect(bodies[3]).toBeNull();
  });
});

const METRIC_TYPES = {
  [DataPointType.GAUGE]: 'gauge',
  [DataPointType.SUM]: 'sum',
  [DataPointType.HISTOGRAM]: 'histogram',
  [DataPointType.EXPONENTIAL_HISTOGRAM]: 'exponential_histogram',
} as const;

function expectedMetric(metric: MetricData): OtlpMetric {
  const temporality = metric.aggregationTemporality === AggregationTemporality.DELTA ? 1 : 2;
  const points = metric.dataPoints.map((dp): OtlpDataPoint => {
    const point: OtlpDataPoint = {
      attributes: expectedMap(dp.attributes),
      startTimeUnixNano: nanos(dp.startTime),
      timeUnixNano: nanos(dp.endTime),
      flags: 0,
      exemplars: [],
    };
    const value = dp.value;
    if (typeof value === 'number') return { ...point, value };
    const stats = { count: value.count, sum: value.sum, min: value.min, max: value.max };
    for (const key of ['sum', 'min', 'max'] as const) if (stats[key] === undefined) delete stats[key];
    if ('buckets' in value) {
      return {
        ...point,
        ...stats,
        bucketCounts: value.buckets.counts,
        explicitBounds: value.buckets.boundaries,
      };
    }
    return {
      ...point,
      ...stats,
      scale: value.scale,
      zeroCount: value.zeroCount,
      zeroThreshold: 0,
      positive: { offset: value.positive.offset, bucketCounts: value.positive.bucketCounts },
      negative: { offset: value.negative.offset, bucketCounts: value.negative.bucketCounts },
    };
  });
  return {
    name: metric.descriptor.name,
    description: metric.descriptor.description,
    unit: metric.descriptor.unit,
    type: METRIC_TYPES[metric.dataPointType],
    temporality: metric.dataPointType === DataPointType.GAUGE ? 0 : temporality,
    isMonotonic: metric.dataPointType === DataPointType.SUM && metric.isMonotonic,
    points,
  };
}

function expectedMetrics(resourceMetrics: ResourceMetrics): MetricsRequest {
  return {
    resourceMetrics: [
      {
        resource: { attributes: expectedMap(resourceMetrics.resource.attributes) },
        scopeMetrics: resourceMetrics.scopeMetrics.map((scopeMetrics) => ({
          scope: {
            name: scopeMetrics.scope.name,
            version: scopeMetrics.scope.version ?? '',
            attributes: expectedMap({}),
          },
          metrics: scopeMetrics.metrics.map(expectedMetric),
        })),
      },
    ],
  };
}

describe('metrics from the OpenTelemetry JS SDK', () => {
  it.each([
    ['cumulative', AggregationTemporality.CUMULATIVE],
    ['delta', AggregationTemporality.DELTA],
  ])('decode exactly from the official serializers (%s)', async (_name, temporality) => {
    const resourceMetrics = await sampleMetrics(temporality);
    const expected = expectedMetrics(resourceMetrics);
    const protobuf = decodeMetrics(
      ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!,
      'protobuf',
      limits,
    );
    const json = decodeMetrics(JsonMetricsSerializer.serializeRequest(resourceMetrics)!, 'json', limits);
    expect(protobuf).toStrictEqual(expected);
    expect(json).toStrictEqual(expected);

    const metrics = protobuf.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    expect(metrics.map((metric) => metric.type).sort()).toEqual([
      'exponential_histogram',
      'gauge',
      'histogram',
      'sum',
      'sum',
    ]);
    const latency = metrics.find((metric) => metric.name === 'gen_ai.latency')!.points[0]!;
    expect(latency).toMatchObject({ count: 6, min: 0.05, max: 12, bucketCounts: [1, 1, 2, 1, 1] });
    expect(latency.explicitBounds).toEqual([0.1, 0.5, 1, 5]);
    const tokens = metrics.find((metric) => metric.type === 'exponential_histogram')!.points[0]!;
    expect(tokens.positive!.bucketCounts.reduce((a, b) => a + b, 0)).toBe(6);
    const inFlight = metrics.find((metric) => metric.name === 'gen_ai.in_flight')!;
    expect(inFlight.points[0]!.value).toBe(-2);
    expect(inFlight.isMonotonic).toBe(false);
  });
});
