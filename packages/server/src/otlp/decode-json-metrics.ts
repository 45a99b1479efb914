/**
 * OTLP/JSON decoding of `ExportMetricsServiceRequest` to the same objects as the protobuf
 * decoder (see decode-json.ts for the leniency rules).
 */

import { newAttrMap, newPoint } from './decode-shared.ts';
import { readKeyValues } from './json-attributes.ts';
import { jsonDecoder } from './json-envelope.ts';
import {
  arrayField,
  boolField,
  doubleField,
  enumField,
  field,
  idField,
  intField,
  type JsonObject,
  objectField,
  optionalDouble,
  readList,
  stringField,
  timeField,
  within,
} from './json-values.ts';
import type {
  DecodeLimits,
  MetricsRequest,
  MetricType,
  OtlpBuckets,
  OtlpDataPoint,
  OtlpExemplar,
  OtlpMetric,
} from './types.ts';

const TEMPORALITIES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

type PointReader = (o: JsonObject, maxDepth: number) => OtlpDataPoint;

/** The `data` oneof of Metric: JSON key, snake_case key, type, point reader. */
const DATA_FIELDS: readonly [string, string, MetricType, PointReader][] = [
  ['gauge', 'gauge', 'gauge', readNumberPoint],
  ['sum', 'sum', 'sum', readNumberPoint],
  ['histogram', 'histogram', 'histogram', readHistogramPoint],
  ['exponentialHistogram', 'exponential_histogram', 'exponential_histogram', readExponentialPoint],
  ['summary', 'summary', 'summary', readSummaryPoint],
];

/** Decodes an OTLP/JSON `ExportMetricsServiceRequest`; throws `OTLP_DECODE` naming the bad path. */
export const decodeMetricsJson: (text: string, limits: DecodeLimits) => MetricsRequest = jsonDecoder(
  ['resourceMetrics', 'scopeMetrics', 'metrics'],
  readMetric,
);

function readMetric(o: JsonObject, maxDepth: number): OtlpMetric {
  const metric: OtlpMetric = {
    name: stringField(o.name, 'name'),
    description: stringField(o.description, 'description'),
    unit: stringField(o.unit, 'unit'),
    // A metric without data has no points, so the type it claims does not matter.
    type: 'gauge',
    temporality: 0,
    isMonotonic: false,
    points: [],
  };
  for (const [camel, snake, type, readPoint] of DATA_FIELDS) {
    const data = objectField(field(o, camel, snake), camel);
    if (data === undefined) continue;
    try {
      metric.type = type;
      metric.temporality = enumField(
        field(data, 'aggregationTemporality', 'aggregation_temporality'),
        'aggregationTemporality',
        TEMPORALITIES,
      );
      metric.isMonotonic = boolField(field(data, 'isMonotonic', 'is_monotonic'), 'isMonotonic');
      metric.points = readList(field(data, 'dataPoints', 'data_points'), 'dataPoints', maxDepth, readPoint);
    } catch (error) {
      within(error, camel);
    }
    break;
  }
  return metric;
}

/** The fields every data point has. */
function readCommon(o: JsonObject, maxDepth: number): OtlpDataPoint {
  const point = newPoint();
  readKeyValues(o.attributes, 'attributes', point.attributes, 1, maxDepth);
  point.startTimeUnixNano = timeField(
    field(o, 'startTimeUnixNano', 'start_time_unix_nano'),
    'startTimeUnixNano',
  );
  point.timeUnixNano = timeField(field(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano');
  point.flags = intField(o.flags, 'flags') >>> 0;
  point.exemplars = readList(o.exemplars, 'exemplars', maxDepth, readExemplar);
  return point;
}

function readNumberPoint(o: JsonObject, maxDepth: number): OtlpDataPoint {
  const point = readCommon(o, maxDepth);
  const value = numberValue(o);
  if (value !== undefined) point.value = value;
  return point;
}

// The `value` oneof of NumberDataPoint and Exemplar: as_double or as_int.
function numberValue(o: JsonObject): number | undefined {
  const asDouble = field(o, 'asDouble', 'as_double');
  if (asDouble !== undefined && asDouble !== null) return doubleField(asDouble, 'asDouble');
  const asInt = field(o, 'asInt', 'as_int');
  if (asInt !== undefined && asInt !== null) return intField(asInt, 'asInt');
  return undefined;
}

function readHistogramPoint(o: JsonObject, maxDepth: number): OtlpDataPoint {
  const point = readCommon(o, maxDepth);
  point.count = intField(o.count, 'count');
  setOptionalStats(point, o);
  point.bucketCounts = numbers(field(o, 'bucketCounts', 'bucket_counts'), 'bucketCounts', intField);
  point.explicitBounds = numbers(
    field(o, 'explicitBounds', 'explicit_bounds'),
    'explicitBounds',
    doubleField,
  );
  return point;
}

function readExponentialPoint(o: JsonObject, maxDepth: number): OtlpDataPoint {
  const point = readCommon(o, maxDepth);
  point.count = intField(o.count, 'count');
  point.scale = intField(o.scale, 'scale') | 0;
  point.zeroCount = intField(field(o, 'zeroCount', 'zero_count'), 'zeroCount');
  point.zeroThreshold = doubleField(field(o, 'zeroThreshold', 'zero_threshold'), 'zeroThreshold');
  setOptionalStats(point, o);
  point.positive = readBuckets(o.positive, 'positive');
  point.negative = readBuckets(o.negative, 'negative');
  return point;
}

// `optional double` fields: present only when sent, as in the protobuf decoder.
function setOptionalStats(point: OtlpDataPoint, o: JsonObject): void {
  const sum = optionalDouble(o.sum, 'sum');
  if (sum !== undefined) point.sum = sum;
  const min = optionalDouble(o.min, 'min');
  if (min !== undefined) point.min = min;
  const max = optionalDouble(o.max, 'max');
  if (max !== undefined) point.max = max;
}

function readBuckets(value: unknown, name: string): OtlpBuckets {
  const buckets = objectField(value, name);
  if (buckets === undefined) return { offset: 0, bucketCounts: [] };
  try {
    return {
      offset: intField(buckets.offset, 'offset') | 0,
      bucketCounts: numbers(field(buckets, 'bucketCounts', 'bucket_counts'), 'bucketCounts', intField),
    };
  } catch (error) {
    within(error, name);
  }
}

function readSummaryPoint(o: JsonObject, maxDepth: number): OtlpDataPoint {
  const point = readCommon(o, maxDepth);
  point.count = intField(o.count, 'count');
  point.sum = doubleField(o.sum, 'sum');
  point.quantiles = readList(
    field(o, 'quantileValues', 'quantile_values'),
    'quantileValues',
    maxDepth,
    readQuantile,
  );
  return point;
}

function readQuantile(o: JsonObject): { quantile: number; value: number } {
  return { quantile: doubleField(o.quantile, 'quantile'), value: doubleField(o.value, 'value') };
}

function readExemplar(o: JsonObject, maxDepth: number): OtlpExemplar {
  const exemplar: OtlpExemplar = {
    timeUnixNano: timeField(field(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    value: numberValue(o) ?? 0,
    traceId: idField(field(o, 'traceId', 'trace_id'), 'traceId'),
    spanId: idField(field(o, 'spanId', 'span_id'), 'spanId'),
    attributes: newAttrMap(),
  };
  const attributes = field(o, 'filteredAttributes', 'filtered_attributes');
  readKeyValues(attributes, 'filteredAttributes', exemplar.attributes, 1, maxDepth);
  return exemplar;
}

function numbers(value: unknown, name: string, read: (v: unknown, name: string) => number): number[] {
  const items = arrayField(value, name);
  const out: number[] = [];
  for (let i = 0; i < items.length; i++) out.push(read(items[i], `${name}[${i}]`));
  return out;
}
