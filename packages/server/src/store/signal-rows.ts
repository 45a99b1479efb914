/**
 * Log records and metric points → JSONEachRow lines for the `logs` and `metric_points` tables.
 */
import type { LogRow, MetricPointRow } from '../normalize/types.ts';

/** Serializes one log record for the `logs` table. */
export function logToRow(log: LogRow): string {
  return JSON.stringify({
    project_id: log.projectId,
    time: String(log.timeUnixNano),
    observed_time: String(log.observedTimeUnixNano),
    trace_id: log.traceId,
    span_id: log.spanId,
    severity_number: Math.max(0, Math.min(255, Math.trunc(log.severityNumber) || 0)),
    severity_text: log.severityText,
    event_name: log.eventName,
    service_name: log.serviceName,
    scope: log.scope,
    body: log.body,
    attributes: JSON.stringify(log.attributes),
    resource_attributes: JSON.stringify(log.resourceAttributes),
    content: log.content ? JSON.stringify(log.content) : '',
  });
}

const finiteOr = (value: number | undefined, fallback: number): number =>
  value !== undefined && Number.isFinite(value) ? value : fallback;
const finiteOrNull = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;

/** Serializes one metric data point for the `metric_points` table. */
export function metricPointToRow(p: MetricPointRow): string {
  return JSON.stringify({
    project_id: p.projectId,
    metric_name: p.metricName,
    metric_type: p.metricType,
    description: p.description,
    unit: p.unit,
    temporality: p.temporality,
    is_monotonic: p.isMonotonic,
    service_name: p.serviceName,
    scope: p.scope,
    time: String(p.timeUnixNano),
    start_time: String(p.startTimeUnixNano),
    attributes: p.attributes,
    resource_attributes: p.resourceAttributes,
    value: finiteOr(p.value, 0),
    count: Math.max(0, Math.trunc(finiteOr(p.count, 0))),
    sum: finiteOr(p.sum, 0),
    min: finiteOrNull(p.min),
    max: finiteOrNull(p.max),
    bucket_counts: p.bucketCounts,
    explicit_bounds: p.explicitBounds.filter(Number.isFinite),
    quantiles: p.quantiles.map((q) => [q.quantile, finiteOr(q.value, 0)]),
    exp_scale: p.scale ?? 0,
    exp_zero_count: p.zeroCount ?? 0,
    exp_positive_offset: p.positiveOffset ?? 0,
    exp_positive_counts: p.positiveBucketCounts ?? [],
    exp_negative_offset: p.negativeOffset ?? 0,
    exp_negative_counts: p.negativeBucketCounts ?? [],
  });
}
