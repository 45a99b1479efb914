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
      return readFields(r, newPoint(), NUMBER_FIELDS, NUMBER_WIRES, 'NumberDataPoint');
  }
}

/** Reads the field under one tag (field number << 3 | wire type) into `target`. */
type FieldReader<T> = (r: ProtobufReader, target: T) => void;
type FieldTable<T> = Readonly<Record<number, FieldReader<T>>>;

/**
 * Reads one length-delimited message into `target` by a table of its fields; a tag the table
 * lacks is skipped (checked against `wires`, named `message` in errors).
 */
function readFields<T>(
  r: ProtobufReader,
  target: T,
  fields: FieldTable<T>,
  wires: Int8Array,
  message: string,
): T {
  const outer = r.enter();
  while (r.pos < r.end) {
    const tag = r.uint32();
    const read = fields[tag];
    if (read) read(r, target);
    else r.skipField(tag, wires, message);
  }
  r.leave(outer);
  return target;
}

/** The fields every point kind shares: 2 start_time_unix_nano, 3 time_unix_nano. */
const TIME_FIELDS: FieldTable<OtlpDataPoint> = {
  17: (r, p) => {
    p.startTimeUnixNano = r.fixed64();
  },
  25: (r, p) => {
    p.timeUnixNano = r.fixed64();
  },
};

/** Histogram, exponential histogram and summary points: 4 count (fixed64), 5 sum (double). */
const AGGREGATE_FIELDS: FieldTable<OtlpDataPoint> = {
  ...TIME_FIELDS,
  33: (r, p) => {
    p.count = r.fixed64Number();
  },
  41: (r, p) => {
    p.sum = r.double();
  },
};

const readAttributes: FieldReader<OtlpDataPoint | OtlpExemplar> = (r, t) => readKeyValue(r, t.attributes, 1);
const readFlags: FieldReader<OtlpDataPoint> = (r, p) => {
  p.flags = r.uint32();
};
const readPointExemplar: FieldReader<OtlpDataPoint> = (r, p) => {
  p.exemplars.push(readExemplar(r));
};
const readMin: FieldReader<OtlpDataPoint> = (r, p) => {
  p.min = r.double();
};
const readMax: FieldReader<OtlpDataPoint> = (r, p) => {
  p.max = r.double();
};

const NUMBER_FIELDS: FieldTable<OtlpDataPoint> = {
  ...TIME_FIELDS,
  58: readAttributes, // 7 attributes
  33: (r, p) => {
    p.value = r.double(); // 4 as_double
  },
  49: (r, p) => {
    p.value = r.sfixed64Number(); // 6 as_int
  },
  42: readPointExemplar, // 5 exemplars
  64: readFlags, // 8 flags
};

const HISTOGRAM_FIELDS: FieldTable<OtlpDataPoint> = {
  ...AGGREGATE_FIELDS,
  74: readAttributes, // 9 attributes
  50: (r, p) => readPackedFixed64(r, p.bucketCounts ?? [], 'HistogramDataPoint.bucket_counts'), // 6, packed
  49: (r, p) => p.bucketCounts?.push(r.fixed64Number()), // 6 bucket_counts, unpacked
  58: (r, p) => readPackedDouble(r, p.explicitBounds ?? [], 'HistogramDataPoint.explicit_bounds'), // 7, packed
  57: (r, p) => p.explicitBounds?.push(r.double()), // 7 explicit_bounds, unpacked
  66: readPointExemplar, // 8 exemplars
  80: readFlags, // 10 flags
  89: readMin, // 11 min
  97: readMax, // 12 max
};

function readHistogramPoint(r: ProtobufReader): OtlpDataPoint {
  const point = newPoint();
  point.count = 0;
  point.bucketCounts = [];
  point.explicitBounds = [];
  return readFields(r, point, HISTOGRAM_FIELDS, HISTOGRAM_WIRES, 'HistogramDataPoint');
}

const EXPONENTIAL_FIELDS: FieldTable<OtlpDataPoint> = {
  ...AGGREGATE_FIELDS,
  10: readAttributes, // 1 attributes
  48: (r, p) => {
    p.scale = r.sint32(); // 6 scale (sint32)
  },
  57: (r, p) => {
    p.zeroCount = r.fixed64Number(); // 7 zero_count
  },
  66: (r, p) => {
    p.positive = readBuckets(r); // 8 positive
  },
  74: (r, p) => {
    p.negative = readBuckets(r); // 9 negative
  },
  80: readFlags, // 10 flags
  90: readPointExemplar, // 11 exemplars
  97: readMin, // 12 min
  105: readMax, // 13 max
  113: (r, p) => {
    p.zeroThreshold = r.double(); // 14 zero_threshold
  },
};

function readExponentialPoint(r: ProtobufReader): OtlpDataPoint {
  const point = newPoint();
  point.count = 0;
  point.scale = 0;
  point.zeroCount = 0;
  point.zeroThreshold = 0;
  readFields(r, point, EXPONENTIAL_FIELDS, EXPONENTIAL_WIRES, 'ExponentialHistogramDataPoint');
  point.positive ??= { offset: 0, bucketCounts: [] };
  point.negative ??= { offset: 0, bucketCounts: [] };
  return point;
}

const BUCKETS_FIELDS: FieldTable<OtlpBuckets> = {
  8: (r, b) => {
    b.offset = r.sint32();
  },
  18: (r, b) => readPackedUint64(r, b.bucketCounts),
  16: (r, b) => b.bucketCounts.push(r.uint64Number()),
};

function readBuckets(r: ProtobufReader): OtlpBuckets {
  const buckets: OtlpBuckets = { offset: 0, bucketCounts: [] };
  return readFields(r, buckets, BUCKETS_FIELDS, BUCKETS_WIRES, 'ExponentialHistogramDataPoint.Buckets');
}

const SUMMARY_FIELDS: FieldTable<OtlpDataPoint> = {
  ...AGGREGATE_FIELDS,
  58: readAttributes, // 7 attributes
  50: (r, p) => p.quantiles?.push(readQuantile(r)), // 6 quantile_values
  64: readFlags, // 8 flags
};

function readSummaryPoint(r: ProtobufReader): OtlpDataPoint {
  const point = newPoint();
  point.count = 0;
  point.sum = 0;
  point.quantiles = [];
  return readFields(r, point, SUMMARY_FIELDS, SUMMARY_WIRES, 'SummaryDataPoint');
}

type Quantile = { quantile: number; value: number };
const QUANTILE_FIELDS: FieldTable<Quantile> = {
  9: (r, q) => {
    q.quantile = r.double();
  },
  17: (r, q) => {
    q.value = r.double();
  },
};

function readQuantile(r: ProtobufReader): Quantile {
  return readFields(
    r,
    { quantile: 0, value: 0 },
    QUANTILE_FIELDS,
    QUANTILE_WIRES,
    'SummaryDataPoint.ValueAtQuantile',
  );
}

const EXEMPLAR_FIELDS: FieldTable<OtlpExemplar> = {
  58: readAttributes, // 7 filtered_attributes
  17: (r, e) => {
    e.timeUnixNano = r.fixed64();
  },
  25: (r, e) => {
    e.value = r.double();
  },
  49: (r, e) => {
    e.value = r.sfixed64Number();
  },
  34: (r, e) => {
    e.spanId = r.hex();
  },
  42: (r, e) => {
    e.traceId = r.hex();
  },
};

function readExemplar(r: ProtobufReader): OtlpExemplar {
  const exemplar: OtlpExemplar = {
    timeUnixNano: 0n,
    value: 0,
    traceId: '',
    spanId: '',
    attributes: newAttrMap(),
  };
  return readFields(r, exemplar, EXEMPLAR_FIELDS, EXEMPLAR_WIRES, 'Exemplar');
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
