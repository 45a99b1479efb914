/**
 * OTLP metrics → one {@link MetricPointRow} per data point, for every metric type (gauge, sum,
 * histogram, exponential histogram, summary). Attribute values are stringified for the
 * `Map(String, String)` columns; NaN/Infinity never reach the store.
 */

import { ArgusError } from '../errors.ts';
import type { AttrMap, MetricsRequest, OtlpDataPoint, OtlpMetric, OtlpScope } from '../otlp/types.ts';
import { capString } from './limits.ts';
import type { MetricPointRow, NormalizeContext, NormalizeLimits } from './types.ts';
import { checkRetained, Rejections } from './validate.ts';
import { record, stringifyValue, toText } from './values.ts';

/** Attribute values as strings (strings as sent, the rest as JSON), capped in count and length. */
export function stringifyAttributes(
  attrs: AttrMap | Record<string, unknown>,
  limits: NormalizeLimits,
): Record<string, string> {
  const out = record<string>();
  let kept = 0;
  for (const [key, value] of Object.entries(attrs)) {
    if (kept >= limits.maxAttributes) break;
    if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value)))
      continue;
    out[capString(key, limits.maxAttributeValueChars)] = capString(
      stringifyValue(value),
      limits.maxAttributeValueChars,
    );
    kept++;
  }
  return out;
}

const finite = (n: number | undefined): number | undefined =>
  n !== undefined && Number.isFinite(n) ? n : undefined;
const counts = (list: number[] | undefined): number[] => (list ?? []).map((n) => finite(n) ?? 0);

function pointRow(
  metric: OtlpMetric,
  point: OtlpDataPoint,
  base: Pick<MetricPointRow, 'projectId' | 'serviceName' | 'scope' | 'resourceAttributes'>,
  ctx: NormalizeContext,
): MetricPointRow {
  const limits = ctx.limits;
  const isValue = metric.type === 'gauge' || metric.type === 'sum';
  const timeUnixNano = checkRetained('metric point', 'timeUnixNano', point.timeUnixNano, ctx.retention);
  const start =
    point.startTimeUnixNano > 0n && point.startTimeUnixNano <= timeUnixNano
      ? point.startTimeUnixNano
      : timeUnixNano;
  const sum = finite(point.sum) ?? 0;
  const row: MetricPointRow = {
    ...base,
    metricName: capString(metric.name, limits.maxAttributeValueChars),
    description: capString(metric.description, limits.maxAttributeValueChars),
    unit: capString(metric.unit, limits.maxAttributeValueChars),
    metricType: metric.type,
    temporality: metric.temporality,
    isMonotonic: metric.isMonotonic,
    timeUnixNano,
    startTimeUnixNano: start,
    attributes: stringifyAttributes(point.attributes, limits),
    value: isValue ? (finite(point.value) ?? 0) : sum,
    count: finite(point.count) ?? 0,
    sum: isValue ? (finite(point.value) ?? 0) : sum,
    bucketCounts: counts(point.bucketCounts),
    explicitBounds: (point.explicitBounds ?? []).filter((b) => Number.isFinite(b)),
    quantiles: (point.quantiles ?? []).filter((q) => Number.isFinite(q.quantile) && Number.isFinite(q.value)),
  };
  const optional = {
    min: finite(point.min),
    max: finite(point.max),
    scale: finite(point.scale),
    zeroCount: finite(point.zeroCount),
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) (row as unknown as Record<string, number>)[k] = v;
  if (point.positive) {
    row.positiveOffset = finite(point.positive.offset) ?? 0;
    row.positiveBucketCounts = counts(point.positive.bucketCounts);
  }
  if (point.negative) {
    row.negativeOffset = finite(point.negative.offset) ?? 0;
    row.negativeBucketCounts = counts(point.negative.bucketCounts);
  }
  return row;
}

function scopeBase(resource: AttrMap, scope: OtlpScope, ctx: NormalizeContext) {
  return {
    projectId: ctx.projectId,
    serviceName: capString(toText(resource['service.name']) ?? '', ctx.limits.maxAttributeValueChars),
    scope: capString(scope.name, ctx.limits.maxAttributeValueChars),
    resourceAttributes: stringifyAttributes(resource, ctx.limits),
  };
}

/**
 * Normalizes every data point of a request. A point without a usable time, or a metric without
 * a name, is rejected alone; `errors` holds up to 10 distinct reasons.
 */
export function normalizeMetrics(
  req: MetricsRequest,
  ctx: NormalizeContext,
): { points: MetricPointRow[]; rejected: number; errors: string[] } {
  const points: MetricPointRow[] = [];
  const rejections = new Rejections();
  for (const rm of req.resourceMetrics) {
    for (const sm of rm.scopeMetrics) {
      const base = scopeBase(rm.resource.attributes, sm.scope, ctx);
      for (const metric of sm.metrics) {
        for (const point of metric.points) {
          try {
            if (metric.name === '')
              throw new ArgusError('INVALID_SPAN', `Cannot accept metric point: 'name' is empty`);
            points.push(pointRow(metric, point, base, ctx));
          } catch (error) {
            rejections.add(error);
          }
        }
      }
    }
  }
  return { points, rejected: rejections.count, errors: rejections.errors };
}
