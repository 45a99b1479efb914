/**
 * The agent's metric model and its OTLP/JSON encoding (`ExportMetricsServiceRequest`). Gauges,
 * cumulative sums, explicit-bucket histograms and summaries are all the agent produces.
 */

/** Attribute values the agent sends. */
export type AttributeValue = string | number | boolean;

/** One data point; the fields used depend on the metric kind. */
export interface AgentPoint {
  attributes: Record<string, AttributeValue>;
  timeNs: bigint;
  /** Start of a cumulative series; absent = unknown (sent equal to `timeNs`). */
  startNs?: bigint;
  /** Gauge or sum value. */
  value?: number;
  /** Histogram / summary. */
  count?: number;
  sum?: number;
  /** Histogram: per-bucket (not cumulative) counts, one more than `bounds` (the +Inf bucket). */
  bucketCounts?: number[];
  bounds?: number[];
  /** Summary. */
  quantiles?: { quantile: number; value: number }[];
}

/** One metric with its points. */
export interface AgentMetric {
  name: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'summary';
  description?: string;
  unit?: string;
  /** Sums: monotonic (a counter) or not (an up-down counter). Default true. */
  monotonic?: boolean;
  points: AgentPoint[];
}

/** Metrics of one resource (the host, or one scraped target). */
export interface ResourceMetrics {
  resource: Record<string, AttributeValue>;
  metrics: AgentMetric[];
}

/** The instrumentation scope the agent reports. */
export const AGENT_SCOPE = 'argus-agent';
const CUMULATIVE = 2;

function keyValues(attributes: Record<string, AttributeValue>) {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function anyValue(value: AttributeValue) {
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  }
  return { stringValue: value };
}

const finite = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n);

function encodePoint(metric: AgentMetric, point: AgentPoint): Record<string, unknown> | undefined {
  const common = {
    attributes: keyValues(point.attributes),
    startTimeUnixNano: String(point.startNs ?? point.timeNs),
    timeUnixNano: String(point.timeNs),
  };
  if (metric.kind === 'gauge' || metric.kind === 'sum') {
    return finite(point.value) ? { ...common, asDouble: point.value } : undefined;
  }
  if (!finite(point.count) || point.count < 0) return undefined;
  const sum = finite(point.sum) ? { sum: point.sum } : {};
  if (metric.kind === 'summary') {
    const quantileValues = (point.quantiles ?? []).filter((q) => finite(q.quantile) && finite(q.value));
    return { ...common, count: String(Math.round(point.count)), ...sum, quantileValues };
  }
  return {
    ...common,
    count: String(Math.round(point.count)),
    ...sum,
    bucketCounts: (point.bucketCounts ?? []).map((n) => String(Math.max(0, Math.round(n)))),
    explicitBounds: (point.bounds ?? []).filter(finite),
  };
}

function encodeMetric(metric: AgentMetric): Record<string, unknown> | undefined {
  const dataPoints = metric.points.map((p) => encodePoint(metric, p)).filter((p) => p !== undefined);
  if (dataPoints.length === 0) return undefined;
  const head = { name: metric.name, description: metric.description ?? '', unit: metric.unit ?? '' };
  switch (metric.kind) {
    case 'gauge':
      return { ...head, gauge: { dataPoints } };
    case 'sum':
      return {
        ...head,
        sum: { aggregationTemporality: CUMULATIVE, isMonotonic: metric.monotonic ?? true, dataPoints },
      };
    case 'histogram':
      return { ...head, histogram: { aggregationTemporality: CUMULATIVE, dataPoints } };
    case 'summary':
      return { ...head, summary: { dataPoints } };
  }
}

/** Encodes resources as one OTLP/JSON metrics request (points without a finite value are left out). */
export function encodeMetricsRequest(resources: readonly ResourceMetrics[], version: string): string {
  return JSON.stringify({
    resourceMetrics: resources.map((r) => ({
      resource: { attributes: keyValues(r.resource) },
      scopeMetrics: [
        {
          scope: { name: AGENT_SCOPE, version },
          metrics: r.metrics.map(encodeMetric).filter((m) => m !== undefined),
        },
      ],
    })),
  });
}

/** Number of points in resources (for batching and logs). */
export function countPoints(resources: readonly ResourceMetrics[]): number {
  let n = 0;
  for (const r of resources) for (const m of r.metrics) n += m.points.length;
  return n;
}
