/**
 * Public types of the normalizer: its limits and context, and the rows it produces for logs and
 * metrics (spans use the canonical `Span` of `@argus/shared`).
 */
import type { Message } from '@argus/shared';
import type { MetricType } from '../otlp/types.ts';

/** Size limits applied while normalizing; over-long values are truncated, never rejected. */
export interface NormalizeLimits {
  /** Longest string kept in a raw attribute, metadata value or scalar field, in characters. */
  maxAttributeValueChars: number;
  /** Longest JSON of input, output, system instructions or tool definitions, in characters. */
  maxContentChars: number;
  /** Most raw attributes kept per span, log or resource; the rest are dropped and counted. */
  maxAttributes: number;
}

/** Defaults: 16 KiB per attribute value, 1 MiB per content field, 512 attributes. */
export const DEFAULT_NORMALIZE_LIMITS: Readonly<NormalizeLimits> = Object.freeze({
  maxAttributeValueChars: 16_384,
  maxContentChars: 1_048_576,
  maxAttributes: 512,
});

/** What every normalize call needs besides the request. */
export interface NormalizeContext {
  projectId: string;
  limits: NormalizeLimits;
  /** The store's retention: items that start before `oldestUnixNano` are rejected (never readable). */
  retention?: Retention;
}

/** How long the store keeps telemetry, and the oldest time it keeps now. */
export interface Retention {
  days: number;
  oldestUnixNano: bigint;
}

/** GenAI content carried by a log event (or span event), ready to merge into its span. */
export interface SpanContent {
  input?: Message[];
  output?: Message[];
  systemInstructions?: unknown;
  toolDefinitions?: unknown;
  finishReasons?: string[];
}

/** One OTLP log record, normalized. */
export interface LogRow {
  projectId: string;
  /** 32 lowercase hex characters, or empty when the record is not tied to a trace. */
  traceId: string;
  /** 16 lowercase hex characters, or empty. */
  spanId: string;
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  eventName: string;
  /** The body: a string as sent, anything else as JSON. */
  body: string;
  attributes: Record<string, unknown>;
  resourceAttributes: Record<string, unknown>;
  serviceName: string;
  scope: string;
  /** Set for GenAI content events (`gen_ai.user.message`, `gen_ai.choice` …). */
  content?: SpanContent;
}

/** One OTLP metric data point, normalized; fields a metric type does not use are zero or empty. */
export interface MetricPointRow {
  projectId: string;
  metricName: string;
  description: string;
  unit: string;
  metricType: MetricType;
  /** 0 unspecified, 1 delta, 2 cumulative. */
  temporality: number;
  isMonotonic: boolean;
  serviceName: string;
  scope: string;
  timeUnixNano: bigint;
  startTimeUnixNano: bigint;
  /** Point attributes, values stringified (strings as sent, the rest as JSON). */
  attributes: Record<string, string>;
  resourceAttributes: Record<string, string>;
  /** Gauge/sum value; for histograms and summaries the sum. */
  value: number;
  count: number;
  sum: number;
  min?: number;
  max?: number;
  bucketCounts: number[];
  explicitBounds: number[];
  quantiles: { quantile: number; value: number }[];
  scale?: number;
  zeroCount?: number;
  positiveOffset?: number;
  positiveBucketCounts?: number[];
  negativeOffset?: number;
  negativeBucketCounts?: number[];
}
