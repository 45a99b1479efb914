/**
 * OTLP/protobuf decoding of `ExportMetricsServiceRequest` (metrics/v1/metrics.proto, v1.x).
 */
import { readPoint } from './decode-protobuf-points.ts';
import { protobufDecoder } from './protobuf-envelope.ts';
import type { ProtobufReader } from './protobuf-reader.ts';
import { wireTypesOf } from './protobuf-wire.ts';
import type { DecodeLimits, MetricsRequest, MetricType, OtlpDataPoint, OtlpMetric } from './types.ts';

const METRIC_WIRES = wireTypesOf([10, 18, 26, 42, 58, 74, 82, 90, 98]);
const DATA_WIRES = wireTypesOf([10, 16, 24]);
const DATA_MESSAGES: Record<MetricType, string> = {
  gauge: 'Gauge',
  sum: 'Sum',
  histogram: 'Histogram',
  exponential_histogram: 'ExponentialHistogram',
  summary: 'Summary',
};

/** Decodes an OTLP/protobuf `ExportMetricsServiceRequest`; throws `OTLP_DECODE` on malformed input. */
export const decodeMetricsProtobuf: (buf: Uint8Array, limits: DecodeLimits) => MetricsRequest =
  protobufDecoder(['resourceMetrics', 'scopeMetrics', 'metrics'], 'ExportMetricsServiceRequest', readMetric);

function readMetric(r: ProtobufReader): OtlpMetric {
  const outer = r.enter();
  const metric: OtlpMetric = {
    name: '',
    description: '',
    unit: '',
    // A metric without data has no points, so the type it claims does not matter.
    type: 'gauge',
    temporality: 0,
    isMonotonic: false,
    points: [],
  };
  while (r.pos < r.end) {
    const tag = r.uint32();
    switch (tag) {
      case 10: // 1 name
        metric.name = r.string();
        break;
      case 18: // 2 description
        metric.description = r.string();
        break;
      case 26: // 3 unit
        metric.unit = r.string();
        break;
      case 42: // 5 gauge
        readData(r, metric, 'gauge');
        break;
      case 58: // 7 sum
        readData(r, metric, 'sum');
        break;
      case 74: // 9 histogram
        readData(r, metric, 'histogram');
        break;
      case 82: // 10 exponential_histogram
        readData(r, metric, 'exponential_histogram');
        break;
      case 90: // 11 summary
        readData(r, metric, 'summary');
        break;
      default: // 12 metadata is not kept
        r.skipField(tag, METRIC_WIRES, 'Metric');
    }
  }
  r.leave(outer);
  return metric;
}

/** Reads Gauge, Sum, Histogram, ExponentialHistogram or Summary: they share field numbers 1 to 3. */
function readData(r: ProtobufReader, metric: OtlpMetric, type: MetricType): void {
  const outer = r.enter();
  metric.type = type;
  metric.temporality = 0;
  metric.isMonotonic = false;
  const points: OtlpDataPoint[] = [];
  metric.points = points;
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 10) points.push(readPoint(r, type));
    // Only Sum and the histograms define these, but a stray one in a Gauge is harmless.
    else if (tag === 16) metric.temporality = r.uint32() | 0;
    else if (tag === 24) metric.isMonotonic = r.bool();
    else r.skipField(tag, DATA_WIRES, DATA_MESSAGES[type]);
  }
  r.leave(outer);
}
