/**
 * Metric time series for dashboards (`GET /metrics/series`): buckets of `step` seconds aligned
 * to the Unix epoch, optionally one series per group, empty buckets filled with zeros, and
 * totals over the whole window. Reads the `spans_1m` rollup (or `spans_1h` for whole-hour steps)
 * when it can answer exactly.
 * Without a `kind` filter, only `llm` spans are counted (a request is an LLM call).
 */
import {
  CONFIDENCE_METRICS,
  type GroupBy,
  METRIC_NAMES,
  type MetricName,
  OUTPUT_HEALTH_METRICS,
  type SeriesPoint,
  type SeriesResult,
} from '@argus/shared';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import {
  aggregateSource,
  canUseRollup,
  GROUP_COLUMNS,
  type MetricRow,
  type MetricValues,
  modelVersionJoin,
  toMetricValues,
  zeroMetrics,
} from './aggregate.ts';
import { type ParseFiltersOptions, parseSpanFilters, type SpanFilters } from './filters.ts';
import { type HealthCount, outputHealthCounts } from './output-health.ts';
import { invalidParameter, optionalOneOf, single } from './params.ts';

/** Validated parameters of a series request. */
export interface SeriesParams {
  filters: SpanFilters;
  metrics: MetricName[];
  groupBy?: GroupBy;
  stepSeconds: number;
}

export type { SeriesPoint, SeriesResult };

/** Metrics served only when asked for by name (they read other tables or raw spans). */
const ASKED_BY_NAME: ReadonlySet<MetricName> = new Set([...OUTPUT_HEALTH_METRICS, ...CONFIDENCE_METRICS]);
const RAW_ONLY_METRICS: ReadonlySet<MetricName> = new Set(CONFIDENCE_METRICS);

/** Default-step target and hard limit on buckets. */
export const TARGET_POINTS = 300;
export const MAX_POINTS = 2000;
/** Most series returned when grouping (the busiest groups are kept). */
export const MAX_GROUPS = 50;
const MAX_ROWS = 200_000;
const STEP_LADDER = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400];
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses a series query string: the span filters plus `metrics`, `groupBy` and `step`.
 * @throws ArgusError INVALID_PARAMETER naming the bad parameter.
 */
export function parseSeriesParams(params: URLSearchParams, options: ParseFiltersOptions = {}): SeriesParams {
  const filters = parseSpanFilters(params, {
    ...options,
    cursorList: undefined,
    extra: ['metrics', 'groupBy', 'step'],
  });
  if (filters.kinds.length === 0) filters.kinds = ['llm'];
  const rawMetrics = single(params, 'metrics');
  // Output-health metrics read another table: only when asked for by name.
  const metrics =
    rawMetrics === undefined
      ? METRIC_NAMES.filter((name) => !ASKED_BY_NAME.has(name))
      : parseMetrics(rawMetrics);
  const groupBy = optionalOneOf(params, 'groupBy', Object.keys(GROUP_COLUMNS) as GroupBy[]);
  const rawStep = single(params, 'step');
  const stepSeconds = rawStep === undefined ? defaultStep(filters) : parseStep(rawStep, filters);
  return { filters, metrics, groupBy, stepSeconds };
}

function parseMetrics(raw: string): MetricName[] {
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(METRIC_NAMES as readonly string[]).includes(name)) {
      throw invalidParameter('metrics', `'${name}' is not one of ${METRIC_NAMES.join(', ')}`);
    }
  }
  return [...new Set(names)] as MetricName[];
}

/** Buckets of `stepSeconds` covering the window, aligned to the epoch. */
export function bucketWindow(
  filters: Pick<SpanFilters, 'fromMs' | 'toMs'>,
  stepSeconds: number,
): { fromMs: number; toMs: number; points: number } {
  const stepMs = stepSeconds * 1000;
  const fromMs = Math.floor(filters.fromMs / stepMs) * stepMs;
  const toMs = Math.floor(filters.toMs / stepMs) * stepMs + stepMs;
  return { fromMs, toMs, points: (toMs - fromMs) / stepMs };
}

function defaultStep(filters: SpanFilters): number {
  for (const step of STEP_LADDER) if (bucketWindow(filters, step).points <= TARGET_POINTS) return step;
  return Math.ceil((filters.toMs - filters.fromMs) / 1000 / TARGET_POINTS / 86400) * 86400;
}

function parseStep(raw: string, filters: SpanFilters): number {
  const match = /^(\d{1,7})([smhd]?)$/.exec(raw);
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1) : 0;
  if (seconds < 1 || seconds > 366 * 86400) {
    throw invalidParameter(
      'step',
      `'${raw.slice(0, 40)}' is not a duration like 30s, 5m, 1h, 1d or whole seconds up to 366d`,
    );
  }
  const { points } = bucketWindow(filters, seconds);
  if (points > MAX_POINTS) {
    throw invalidParameter(
      'step',
      `'${raw}' gives ${points} points over the window; the most is ${MAX_POINTS}, use a larger step`,
    );
  }
  return seconds;
}

type BucketRow = MetricRow & { bucket_s: string | number; group_value?: string };

/** Computes the series and totals. */
export async function metricSeries(
  driver: ClickhouseDriver,
  projectId: string,
  params: SeriesParams,
): Promise<SeriesResult> {
  const { filters, stepSeconds, groupBy } = params;
  const window = bucketWindow(filters, stepSeconds);
  const rollup = canUseRollup(filters, stepSeconds) && !params.metrics.some((m) => RAW_ONLY_METRICS.has(m));
  // Whole-hour buckets are epoch-aligned hours, so the hourly rollup answers them exactly.
  const hourly = rollup && stepSeconds % 3600 === 0;
  const source = aggregateSource(projectId, filters, {
    fromMs: window.fromMs,
    toMs: window.toMs,
    rollup,
    hourly,
  });
  // By model, a call without a response model counts under the version its request model got
  // (as on the Models page), so a 429 is not a series of its own at 100 % errors.
  const model = groupBy === 'model' ? modelVersionJoin(source) : undefined;
  const groupColumn = model ? `if(${model.version} != '', ${model.version}, request_model)` : undefined;
  const groupSelect = groupBy ? `, ${groupColumn ?? GROUP_COLUMNS[groupBy]} AS group_value` : '';
  const [rows, totalRows] = await Promise.all([
    driver.query<BucketRow>(
      `SELECT toUnixTimestamp(toStartOfInterval(${source.timeColumn}, INTERVAL {stepSeconds:UInt32} SECOND)) AS bucket_s${groupSelect},
  ${source.metrics}
FROM ${source.table}${model ? `\n${model.join}` : ''}
WHERE ${source.where.sql}
GROUP BY bucket_s${groupBy ? ', group_value' : ''}
ORDER BY bucket_s
LIMIT {maxRows:UInt32}`,
      { ...source.where.params, stepSeconds, maxRows: MAX_ROWS },
    ),
    driver.query<MetricRow>(
      `SELECT ${source.metrics}\nFROM ${source.table}\nWHERE ${source.where.sql}\nLIMIT 1`,
      source.where.params,
    ),
  ]);
  const pick = (values: MetricValues): Partial<MetricValues> =>
    Object.fromEntries(params.metrics.map((name) => [name, values[name]]));
  const series = buildSeries(rows, window, stepSeconds, groupBy);
  const totals = totalRows[0] ? toMetricValues(totalRows[0]) : zeroMetrics();
  if (params.metrics.some((name) => (OUTPUT_HEALTH_METRICS as readonly string[]).includes(name)))
    await addOutputHealth(driver, projectId, params, { window, series, totals });
  return {
    step: stepSeconds,
    from: new Date(window.fromMs).toISOString(),
    to: new Date(window.toMs).toISOString(),
    groupBy: groupBy ?? null,
    source: rollup ? 'rollup' : 'raw',
    series: series.map(({ group, points }) => ({
      group,
      points: points.map((p) => ({ time: p.time, ...pick(p.values) })),
    })),
    totals: pick(totals),
  };
}

/** Fills the output-health metrics of every point and of the totals in place. */
async function addOutputHealth(
  driver: ClickhouseDriver,
  projectId: string,
  params: SeriesParams,
  into: {
    window: { fromMs: number; toMs: number };
    series: ReturnType<typeof buildSeries>;
    totals: MetricValues;
  },
): Promise<void> {
  const counts = await outputHealthCounts(driver, projectId, params.filters, {
    ...into.window,
    stepSeconds: params.stepSeconds,
    groupBy: params.groupBy,
  });
  const fill = (values: MetricValues, count: HealthCount | undefined) => {
    values.outputErrors = count?.flagged ?? 0;
    values.outputErrorRate = count && count.checked > 0 ? count.flagged / count.checked : 0;
  };
  for (const { group, points } of into.series) {
    const buckets = counts.byGroup.get(params.groupBy ? (group[params.groupBy] ?? '') : '');
    for (const point of points) fill(point.values, buckets?.get(Date.parse(point.time)));
  }
  fill(into.totals, counts.totals);
}

/** Groups bucket rows into zero-filled series, busiest group first, at most {@link MAX_GROUPS}. */
function buildSeries(
  rows: BucketRow[],
  window: { fromMs: number; points: number },
  stepSeconds: number,
  groupBy: GroupBy | undefined,
): { group: Partial<Record<GroupBy, string>>; points: { time: string; values: MetricValues }[] }[] {
  const byGroup = new Map<string, Map<number, MetricValues>>();
  if (!groupBy) byGroup.set('', new Map());
  for (const row of rows) {
    const key = row.group_value ?? '';
    const buckets = byGroup.get(key) ?? new Map<number, MetricValues>();
    buckets.set(Number(row.bucket_s) * 1000, toMetricValues(row));
    byGroup.set(key, buckets);
  }
  const requestsOf = (buckets: Map<number, MetricValues>) =>
    [...buckets.values()].reduce((n, v) => n + v.requests, 0);
  const groups = [...byGroup.entries()]
    .sort((a, b) => requestsOf(b[1]) - requestsOf(a[1]) || a[0].localeCompare(b[0]))
    .slice(0, MAX_GROUPS);
  return groups.map(([key, buckets]) => ({
    group: groupBy ? { [groupBy]: key } : {},
    points: Array.from({ length: window.points }, (_, i) => {
      const timeMs = window.fromMs + i * stepSeconds * 1000;
      return { time: new Date(timeMs).toISOString(), values: buckets.get(timeMs) ?? zeroMetrics() };
    }),
  }));
}
