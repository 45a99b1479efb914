/**
 * OTLP requests decoded to plain objects. Both decoders (protobuf and JSON) produce exactly
 * these shapes, so everything downstream is format-blind.
 *
 * Value conventions:
 * - ids are lowercase hex of whatever bytes arrived (validation of length happens later, so one
 *   bad span does not reject its neighbours); an absent parent id is `''`.
 * - timestamps are unix nanoseconds as `bigint` (exact; JSON numbers would lose precision).
 * - AnyValue becomes a plain JS value: string, number (intValue outside the safe-integer range
 *   stays a decimal string), boolean, array, object (kvlist), base64 string (bytes), or null.
 */

/** A decoded OTLP AnyValue. */
export type AttrValue = string | number | boolean | null | AttrValue[] | AttrMap;

/** A decoded attribute list or kvlist; created with a null prototype. */
export interface AttrMap {
  [key: string]: AttrValue;
}

export interface OtlpResource {
  attributes: AttrMap;
}

export interface OtlpScope {
  name: string;
  version: string;
  attributes: AttrMap;
}

export interface OtlpSpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: AttrMap;
}

export interface OtlpLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: AttrMap;
}

export interface OtlpStatus {
  /** 0 unset, 1 ok, 2 error. */
  code: number;
  message: string;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  /** 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: AttrMap;
  events: OtlpSpanEvent[];
  links: OtlpLink[];
  status: OtlpStatus;
  flags: number;
  /**
   * Set by the JSON decoder when this span alone could not be read (a time of "NaN", an attribute
   * of the wrong shape): normalization rejects it with this reason and keeps its neighbours.
   */
  unreadable?: string;
}

export interface OtlpScopeSpans {
  scope: OtlpScope;
  spans: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource: OtlpResource;
  scopeSpans: OtlpScopeSpans[];
}

/** ExportTraceServiceRequest. */
export interface TracesRequest {
  resourceSpans: OtlpResourceSpans[];
}

export interface OtlpLogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AttrValue;
  attributes: AttrMap;
  flags: number;
  traceId: string;
  spanId: string;
  /** `LogRecord.event_name` (field 12); older SDKs put it in the `event.name` attribute instead. */
  eventName: string;
}

export interface OtlpScopeLogs {
  scope: OtlpScope;
  logRecords: OtlpLogRecord[];
}

export interface OtlpResourceLogs {
  resource: OtlpResource;
  scopeLogs: OtlpScopeLogs[];
}

/** ExportLogsServiceRequest. */
export interface LogsRequest {
  resourceLogs: OtlpResourceLogs[];
}

export type MetricType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

export interface OtlpExemplar {
  timeUnixNano: bigint;
  value: number;
  traceId: string;
  spanId: string;
  attributes: AttrMap;
}

export interface OtlpBuckets {
  offset: number;
  bucketCounts: number[];
}

/** One data point of any metric type; fields not used by the type are absent. */
export interface OtlpDataPoint {
  attributes: AttrMap;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
  /** gauge / sum value (asInt or asDouble). */
  value?: number;
  /** histogram, exponential histogram, summary. */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  /** histogram. */
  bucketCounts?: number[];
  explicitBounds?: number[];
  /** exponential histogram. */
  scale?: number;
  zeroCount?: number;
  zeroThreshold?: number;
  positive?: OtlpBuckets;
  negative?: OtlpBuckets;
  /** summary. */
  quantiles?: { quantile: number; value: number }[];
  exemplars: OtlpExemplar[];
}

export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  /** 0 unspecified, 1 delta, 2 cumulative (sum, histogram, exponential histogram). */
  temporality: number;
  isMonotonic: boolean;
  points: OtlpDataPoint[];
}

export interface OtlpScopeMetrics {
  scope: OtlpScope;
  metrics: OtlpMetric[];
}

export interface OtlpResourceMetrics {
  resource: OtlpResource;
  scopeMetrics: OtlpScopeMetrics[];
}

/** ExportMetricsServiceRequest. */
export interface MetricsRequest {
  resourceMetrics: OtlpResourceMetrics[];
}

/** Limits the decoders enforce while reading. */
export interface DecodeLimits {
  /** AnyValue nesting deeper than this is replaced by the string `[argus: truncated, depth > N]`. */
  maxAttributeDepth: number;
}
