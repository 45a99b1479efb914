/**
 * Log records and metric points → TSV lines for the `logs` and `metric_points` tables.
 */
import type { Score } from '@argus/shared';
import type { LogRow, MetricPointRow } from '../normalize/types.ts';
import { tsvMap, tsvNullableNumber, tsvNumber, tsvNumberArray, tsvString, tsvTime } from './tsv.ts';

/** Column order of {@link logToRow}. */
export const LOG_INSERT_COLUMNS: readonly string[] = [
  'project_id',
  'time',
  'observed_time',
  'trace_id',
  'span_id',
  'severity_number',
  'severity_text',
  'event_name',
  'service_name',
  'scope',
  'body',
  'attributes',
  'resource_attributes',
  'content',
];

/** Serializes one log record for the `logs` table. */
export function logToRow(log: LogRow): string {
  return [
    tsvString(log.projectId),
    tsvTime(log.timeUnixNano),
    tsvTime(log.observedTimeUnixNano),
    tsvString(log.traceId),
    tsvString(log.spanId),
    String(Math.max(0, Math.min(255, Math.trunc(log.severityNumber) || 0))),
    tsvString(log.severityText),
    tsvString(log.eventName),
    tsvString(log.serviceName),
    tsvString(log.scope),
    tsvString(log.body),
    tsvString(JSON.stringify(log.attributes)),
    tsvString(JSON.stringify(log.resourceAttributes)),
    log.content ? tsvString(JSON.stringify(log.content)) : '',
  ].join('\t');
}

/** Column order of {@link metricPointToRow}. */
export const METRIC_INSERT_COLUMNS: readonly string[] = [
  'project_id',
  'metric_name',
  'metric_type',
  'description',
  'unit',
  'temporality',
  'is_monotonic',
  'service_name',
  'scope',
  'time',
  'start_time',
  'attributes',
  'resource_attributes',
  'value',
  'count',
  'sum',
  'min',
  'max',
  'bucket_counts',
  'explicit_bounds',
  'quantiles',
  'exp_scale',
  'exp_zero_count',
  'exp_positive_offset',
  'exp_positive_counts',
  'exp_negative_offset',
  'exp_negative_counts',
];

const counts = (values: readonly number[] | undefined) =>
  tsvNumberArray((values ?? []).map((v) => Math.max(0, Math.trunc(v))));

/** Serializes one metric data point for the `metric_points` table. */
export function metricPointToRow(p: MetricPointRow): string {
  const quantiles = `[${p.quantiles.map((q) => `(${tsvNumber(q.quantile)},${tsvNumber(q.value)})`).join(',')}]`;
  return [
    tsvString(p.projectId),
    tsvString(p.metricName),
    p.metricType,
    tsvString(p.description),
    tsvString(p.unit),
    String(p.temporality),
    p.isMonotonic ? 'true' : 'false',
    tsvString(p.serviceName),
    tsvString(p.scope),
    tsvTime(p.timeUnixNano),
    tsvTime(p.startTimeUnixNano),
    tsvMap(p.attributes),
    tsvMap(p.resourceAttributes),
    tsvNumber(p.value),
    String(Math.max(0, Math.trunc(Number.isFinite(p.count) ? p.count : 0))),
    tsvNumber(p.sum),
    tsvNullableNumber(p.min),
    tsvNullableNumber(p.max),
    counts(p.bucketCounts),
    tsvNumberArray(p.explicitBounds.filter(Number.isFinite)),
    quantiles,
    String(p.scale ?? 0),
    String(p.zeroCount ?? 0),
    String(p.positiveOffset ?? 0),
    counts(p.positiveBucketCounts),
    String(p.negativeOffset ?? 0),
    counts(p.negativeBucketCounts),
  ].join('\t');
}

/** A user-feedback or evaluation score as stored: the API's {@link Score} with its project and exact time. */
export type ScoreRow = Omit<Score, 'time'> & { projectId: string; timeUnixNano: bigint };

/** Column order of {@link scoreToRow}. */
export const SCORE_INSERT_COLUMNS: readonly string[] = [
  'project_id',
  'score_id',
  'trace_id',
  'span_id',
  'name',
  'value',
  'string_value',
  'comment',
  'source',
  'author',
  'time',
  'metadata',
];

/** Serializes one score for the `scores` table. */
export function scoreToRow(s: ScoreRow): string {
  return [
    tsvString(s.projectId),
    tsvString(s.scoreId),
    tsvString(s.traceId),
    tsvString(s.spanId),
    tsvString(s.name),
    tsvNumber(s.value),
    tsvString(s.stringValue),
    tsvString(s.comment),
    tsvString(s.source),
    tsvString(s.author),
    tsvTime(s.timeUnixNano),
    tsvMap(s.metadata),
  ].join('\t');
}
