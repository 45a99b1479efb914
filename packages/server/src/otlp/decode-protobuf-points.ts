/**
 * OTLP/protobuf decoding of metric data points (metrics/v1/metrics.proto, opentelemetry-proto
 * v1.x). Repeated scalars are accepted packed (the proto3 default) and unpacked, as the protobuf
 * spec requires of parsers.
 */
import { newAttrMap, newPoint } from './decode-shared.ts';
import { readKeyValue } from './protobuf-common.ts';
import type { ProtobufReader } from './protobuf-reader.ts';
import { protobufError, wireTypesOf } from './protobuf-wire.ts';
import type { MetricType, OtlpBuckets, OtlpDataPoint, OtlpExemplar } from './types.ts';

const NUMBER_WIRES = wireTypesOf([17, 25, 33, 42, 49, 58, 64]);
const HISTOGRAM_WIRES = wireTypesOf([17, 25, 33, 41, 50, 58, 66, 74, 80, 89, 97]);
const EXPONENTIAL_WIRES = wireTypesOf([10, 17, 25, 33, 41, 48, 57, 66, 74, 80, 90, 97, 105, 113]);
const BUCKETS_WIRES = wireTypesOf([8, 18]);
const SUMMARY_WIRES = wireTypesOf([17, 25, 33, 41, 50, 58, 64]);
const QUANTILE_WIRES = wireTypesOf([9, 17]);
const EXEMPLAR_WIRES = wireTypesOf([17, 25, 34, 42, 49, 58]);

/** Reads one length-delimited data point of a metric of `type`. */
export function readPoint(r: ProtobufReader, type: MetricType): OtlpDataPoint {
  switch (type) {
    case 'histogram':
      return readHistogramPoint(r);
    case 'exponential_histogram':
      return readExponentialPoint(r);
    case 'summary':
      return readSummaryPoint(r);
    default:
      return readNumberPoint(r);
  }
}

function readNumberPoint(r: ProtobufReader): OtlpDataPoint {
  const outer = r.enter();
  const point = newPoint();
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 58) readKeyValue(r, point.attributes, 1);
    else if (tag === 17) point.startTimeUnixNano = r.fixed64();
    else if (tag === 25) point.timeUnixNano = r.fixed64();
    else if (tag === 33) point.value = r.double();
    else if (tag === 49) point.value = r.sfixed64Number();
    else if (tag === 42) point.exemplars.push(readExemplar(r));
    else if (tag === 64) point.flags = r.uint32();
    else r.skipField(tag, NUMBER_WIRES, 'NumberDataPoint');
  }
  r.leave(outer);
  return point;
}

function readHistogramPoint(r: ProtobufReader): OtlpDataPoint {
  const outer = r.enter();
  const point = newPoint();
  const bucketCounts: number[] = [];
  const explicitBounds: number[] = [];
  point.count = 0;
  while (r.pos < r.end) {
    const tag = r.uint32();
    switch (tag) {
      case 74: // 9 attributes
        readKeyValue(r, point.attributes, 1);
        break;
      case 17: // 2 start_time_unix_nano
        point.startTimeUnixNano = r.fixed64();
        break;
      case 25: // 3 time_unix_nano
        point.timeUnixNano = r.fixed64();
        break;
      case 33: // 4 count
        point.count = r.fixed64Number();
        break;
      case 41: // 5 sum
        point.sum = r.double();
        break;
      case 50: // 6 bucket_counts, packed
        readPackedFixed64(r, bucketCounts, 'HistogramDataPoint.bucket_counts');
        break;
      case 49: // 6 bucket_counts, unpacked
        bucketCounts.push(r.fixed64Number());
        break;
      case 58: // 7 explicit_bounds, packed
        readPackedDouble(r, explicitBounds, 'HistogramDataPoint.explicit_bounds');
        break;
      case 57: // 7 explicit_bounds, unpacked
        explicitBounds.push(r.double());
        break;
      case 66: // 8 exemplars
        point.exemplars.push(readExemplar(r));
        break;
      case 80: // 10 flags
        point.flags = r.uint32();
        break;
      case 89: // 11 min
        point.min = r.double();
        break;
      case 97: // 12 max
        point.max = r.double();
        break;
      default:
        r.skipField(tag, HISTOGRAM_WIRES, 'HistogramDataPoint');
    }
  }
  r.leave(outer);
  point.bucketCounts = bucketCounts;
  point.explicitBounds = explicitBounds;
  return point;
}

function readExponentialPoint(r: ProtobufReader): OtlpDataPoint {
  const outer = r.enter();
  const point = newPoint();
  let positive: OtlpBuckets | undefined;
  let negative: OtlpBuckets | undefined;
  point.count = 0;
  point.scale = 0;
  point.zeroCount = 0;
  point.zeroThreshold = 0;
  while (r.pos < r.end) {
    const tag = r.uint32();
    switch (tag) {
      case 10: // 1 attributes
        readKeyValue(r, point.attributes, 1);
        break;
      case 17: // 2 start_time_unix_nano
        point.startTimeUnixNano = r.fixed64();
        break;
      case 25: // 3 time_unix_nano
        point.timeUnixNano = r.fixed64();
        break;
      case 33: // 4 count
        point.count = r.fixed64Number();
        break;
      case 41: // 5 sum
        point.sum = r.double();
        break;
      case 48: // 6 scale (sint32)
        point.scale = r.sint32();
        break;
      case 57: // 7 zero_count
        point.zeroCount = r.fixed64Number();
        break;
      case 66: // 8 positive
        positive = readBuckets(r);
        break;
      case 74: // 9 negative
        negative = readBuckets(r);
        break;
      case 80: // 10 flags
        point.flags = r.uint32();
        break;
      case 90: // 11 exemplars
        point.exemplars.push(readExemplar(r));
        break;
      case 97: // 12 min
        point.min = r.double();
        break;
      case 105: // 13 max
        point.max = r.double();
        break;
      case 113: // 14 zero_threshold
        point.zeroThreshold = r.double();
        break;
      default:
        r.skipField(tag, EXPONENTIAL_WIRES, 'ExponentialHistogramDataPoint');
    }
  }
  r.leave(outer);
  point.positive = positive ?? { offset: 0, bucketCounts: [] };
  point.negative = negative ?? { offset: 0, bucketCounts: [] };
  return point;
}

function readBuckets(r: ProtobufReader): OtlpBuckets {
  const outer = r.enter();
  const buckets: OtlpBuckets = { offset: 0, bucketCounts: [] };
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 8) buckets.offset = r.sint32();
    else if (tag === 18) readPackedUint64(r, buckets.bucketCounts);
    else if (tag === 16) buckets.bucketCounts.push(r.uint64Number());
    else r.skipField(tag, BUCKETS_WIRES, 'ExponentialHistogramDataPoint.Buckets');
  }
  r.leave(outer);
  return buckets;
}

function readSummaryPoint(r: ProtobufReader): OtlpDataPoint {
  const outer = r.enter();
  const point = newPoint();
  const quantiles: { quantile: number; value: number }[] = [];
  point.count = 0;
  point.sum = 0;
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 58) readKeyValue(r, point.attributes, 1);
    else if (tag === 17) point.startTimeUnixNano = r.fixed64();
    else if (tag === 25) point.timeUnixNano = r.fixed64();
    else if (tag === 33) point.count = r.fixed64Number();
    else if (tag === 41) point.sum = r.double();
    else if (tag === 50) quantiles.push(readQuantile(r));
    else if (tag === 64) point.flags = r.uint32();
    else r.skipField(tag, SUMMARY_WIRES, 'SummaryDataPoint');
  }
  r.leave(outer);
  point.quantiles = quantiles;
  return point;
}

function readQuantile(r: ProtobufReader): { quantile: number; value: number } {
  const outer = r.enter();
  let quantile = 0;
  let value = 0;
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 9) quantile = r.double();
    else if (tag === 17) value = r.double();
    else r.skipField(tag, QUANTILE_WIRES, 'SummaryDataPoint.ValueAtQuantile');
  }
  r.leave(outer);
  return { quantile, value };
}

function readExemplar(r: ProtobufReader): OtlpExemplar {
  const outer = r.enter();
  const exemplar: OtlpExemplar = {
    timeUnixNano: 0n,
    value: 0,
    traceId: '',
    spanId: '',
    attributes: newAttrMap(),
  };
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 58) readKeyValue(r, exemplar.attributes, 1);
    else if (tag === 17) exemplar.timeUnixNano = r.fixed64();
    else if (tag === 25) exemplar.value = r.double();
    else if (tag === 49) exemplar.value = r.sfixed64Number();
    else if (tag === 34) exemplar.spanId = r.hex();
    else if (tag === 42) exemplar.traceId = r.hex();
    else r.skipField(tag, EXEMPLAR_WIRES, 'Exemplar');
  }
  r.leave(outer);
  return exemplar;
}

/** Appends a packed `repeated fixed64` (as numbers) to `out`. */
export function readPackedFixed64(r: ProtobufReader, out: number[], field: string): void {
  const end = r.pos + packedLength(r, field);
  while (r.pos < end) out.push(r.fixed64Number());
}

/** Appends a packed `repeated double` to `out`. */
export function readPackedDouble(r: ProtobufReader, out: number[], field: string): void {
  const end = r.pos + packedLength(r, field);
  while (r.pos < end) out.push(r.double());
}

/** Appends a packed `repeated uint64` (varints, as numbers) to `out`. */
export function readPackedUint64(r: ProtobufReader, out: number[]): void {
  const outer = r.enter();
  while (r.pos < r.end) out.push(r.uint64Number());
  r.leave(outer);
}

function packedLength(r: ProtobufReader, field: string): number {
  const len = r.length();
  if (len % 8 !== 0) throw protobufError(`packed ${field} has ${len} bytes, expected a multiple of 8`);
  return len;
}
