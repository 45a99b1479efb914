/**
 * Reads the value a rule watches: a request metric through the query layer's `metricSeries`
 * (same filters as `/api/v1/metrics/series`), an aggregate of OTLP metric points, or an
 * aggregate of scores — each over a time window. All SQL is parameterized.
 */
import { METRIC_NAMES, type MetricName } from '@argus/shared';
import { ArgusError, isArgusError } from '../errors.ts';
import { metricSeries, parseSeriesParams, type SeriesParams } from '../query/index.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import type { Sample } from './anomaly.ts';
import type { RuleSource, ScoreSource, SeriesSource } from './schemas.ts';

// Metrics that are a sum; the others are a quantile or a ratio, so a bucket without requests
// has no value (not 0).
const SUMS: ReadonlySet<MetricName> = new Set([
  'requests',
  'errors',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'outputErrors',
  'logprobRequests',
]);
// Confidence figures average the spans that had logprobs: without any, a window has no value.
const NEEDS_LOGPROBS: ReadonlySet<MetricName> = new Set(['perplexityMean', 'perplexityP95', 'lowProbShare']);
const NEEDS_REQUESTS: ReadonlySet<MetricName> = new Set(
  METRIC_NAMES.filter((name) => !SUMS.has(name) && !NEEDS_LOGPROBS.has(name)),
);
const MAX_SOURCE_WINDOW_MS = 40 * 86_400_000;

/**
 * The series parameters of a source over [fromMs, toMs) in buckets of `stepSeconds`.
 * @throws ArgusError INVALID_PARAMETER when a filter is unknown or invalid.
 */
export function seriesParamsOf(
  source: SeriesSource,
  fromMs: number,
  toMs: number,
  stepSeconds: number,
): SeriesParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(source.filters)) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  for (const reserved of ['from', 'to', 'metrics', 'groupBy', 'step']) {
    if (query.has(reserved)) {
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid rule field 'source.filters.${reserved}': it is set by the rule`,
      );
    }
  }
  query.set('from', String(Math.floor(fromMs)));
  query.set('to', String(Math.max(Math.floor(fromMs), Math.floor(toMs) - 1)));
  const metrics: MetricName[] =
    source.metric === 'requests'
      ? ['requests']
      : [source.metric, NEEDS_LOGPROBS.has(source.metric) ? 'logprobRequests' : 'requests'];
  query.set('metrics', metrics.join(','));
  try {
    return { ...parseSeriesParams(query, { maxWindowMs: MAX_SOURCE_WINDOW_MS }), stepSeconds };
  } catch (error) {
    if (isArgusError(error) && error.code === 'INVALID_PARAMETER') {
      throw new ArgusError('INVALID_PARAMETER', `Invalid rule field 'source.filters': ${error.message}`);
    }
    throw error;
  }
}

/** Bucket width for a window total: exact to the second up to 1 h, to the minute up to a day. */
function stepFor(windowMs: number): number {
  if (windowMs <= 3600_000) return 1;
  return windowMs <= 86_400_000 ? 60 : 3600;
}

/** The value of `source` over [fromMs, toMs), or undefined when there was no data. */
export async function readWindowValue(
  driver: ClickhouseDriver,
  projectId: string,
  source: RuleSource,
  window: { fromMs: number; toMs: number },
): Promise<number | undefined> {
  if (source.kind === 'series') {
    const params = seriesParamsOf(source, window.fromMs, window.toMs, stepFor(window.toMs - window.fromMs));
    const { totals } = await metricSeries(driver, projectId, params);
    if (NEEDS_REQUESTS.has(source.metric) && !totals.requests) return undefined;
    if (NEEDS_LOGPROBS.has(source.metric) && !totals.logprobRequests) return undefined;
    return totals[source.metric] ?? 0;
  }
  const time = `time >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC') AND time < fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')`;
  const params: Record<string, string | number> = {
    projectId,
    fromMs: window.fromMs,
    toMs: window.toMs,
    name: source.name,
  };
  if (source.kind === 'score') {
    const [row] = await driver.query<{ n: string | number; avg: number | null; min: number | null }>(
      `SELECT count() AS n, avgIf(value, string_value = '') AS avg, minIf(value, string_value = '') AS min
FROM scores WHERE project_id = {projectId:String} AND name = {name:String} AND ${time}${scoreConditions(source, params)}`,
      params,
    );
    return aggregate(row, source.aggregation);
  }
  const conditions = Object.entries(source.attributes).map(([key, value], i) => {
    params[`k${i}`] = key;
    params[`v${i}`] = value;
    return `(attributes[{k${i}:String}] = {v${i}:String} OR resource_attributes[{k${i}:String}] = {v${i}:String})`;
  });
  const [row] = await driver.query<Record<string, number | string | null>>(
    `SELECT count() AS n, avg(value) AS avg, min(value) AS min, max(value) AS max, sum(value) AS sum,
  argMax(value, time) AS last
FROM metric_points
WHERE project_id = {projectId:String} AND metric_name = {name:String} AND ${time}${conditions.map((c) => ` AND ${c}`).join('')}`,
    params,
  );
  return aggregate(row, source.aggregation);
}

/** The optional score filters (where a score came from, the online rule that wrote it), binding their params. */
function scoreConditions(source: ScoreSource, params: Record<string, string | number>): string {
  let sql = '';
  if (source.source !== undefined) {
    sql += ' AND source = {scoreSource:String}';
    params.scoreSource = source.source;
  }
  if (source.ruleId !== undefined) {
    sql += " AND metadata['ruleId'] = {scoreRuleId:String}";
    params.scoreRuleId = source.ruleId;
  }
  return sql;
}

function aggregate(row: Record<string, unknown> | undefined, aggregation: string): number | undefined {
  const n = Number(row?.n ?? 0);
  if (aggregation === 'count') return n;
  if (n === 0) return undefined;
  const value = row?.[aggregation];
  return value === null || value === undefined || !Number.isFinite(Number(value)) ? undefined : Number(value);
}

/**
 * Complete buckets of `stepSeconds` in [fromMs, toMs) of a series source; a bucket still in
 * progress at `toMs` is left out. Buckets without data are `undefined` for quantiles and ratios.
 */
export async function readSeriesSamples(
  driver: ClickhouseDriver,
  projectId: string,
  source: SeriesSource,
  range: { fromMs: number; toMs: number; stepSeconds: number },
): Promise<Sample[]> {
  const params = seriesParamsOf(source, range.fromMs, range.toMs, range.stepSeconds);
  const result = await metricSeries(driver, projectId, params);
  const stepMs = range.stepSeconds * 1000;
  const samples: Sample[] = [];
  for (const point of result.series[0]?.points ?? []) {
    const timeMs = Date.parse(point.time);
    if (timeMs + stepMs > range.toMs) continue;
    const empty =
      (NEEDS_REQUESTS.has(source.metric) && !point.requests) ||
      (NEEDS_LOGPROBS.has(source.metric) && !point.logprobRequests);
    samples.push({ timeMs, value: empty ? undefined : (point[source.metric] ?? 0) });
  }
  return samples;
}
