/**
 * OTLP metric points (`metric_points`) → time series: one series per `groupBy` value (the
 * `MAX_METRIC_SERIES` busiest), buckets of `step` seconds aligned to the epoch, only
 * buckets holding data. Value aggregations of gauges and sums run in ClickHouse; increases
 * (`rate`, histogram averages, sums and percentiles) are computed here from the raw points of
 * each stream, which are bounded by {@link MAX_RAW_POINTS}.
 */
import type { ClickhouseDriver, QueryParams } from '../store/clickhouse/driver.ts';
import { quote } from './cursor.ts';
import { histogramQuantile, increases, type StreamPoint, sameBounds } from './metric-math.ts';
import type { Aggregation, MetricPointParams } from './metric-params.ts';
import { MAX_METRIC_SERIES, type MetricSeries, SeriesBuilder } from './metric-series.ts';
import { invalidParameter } from './params.ts';
import { bucketWindow } from './series.ts';

/** Most raw points read to compute increases. */
export const MAX_RAW_POINTS = 200_000;
const MAX_ROWS = 200_000;
/** How far before the window cumulative series look for their baseline point. */
const LOOKBACK_MS = 10 * 60_000;
const STREAM = 'toString(cityHash64(scope, mapSort(attributes), mapSort(resource_attributes)))';

/** The answer of {@link queryMetricPoints}. */
export interface MetricPointsResult {
  name: string;
  unit: string;
  /** The metric's type (of its newest point in the window); null when the window has none. */
  type: string | null;
  /** The aggregation applied (the type's default when none was asked for). */
  aggregation: Aggregation | null;
  step: number;
  /** Start of the first bucket, end of the last (exclusive), ISO 8601. */
  from: string;
  to: string;
  series: MetricSeries[];
}

interface Shape {
  type: string;
  unit: string;
  temporality: number;
  monotonic: boolean;
}

/** Reads the series of one metric. */
export async function queryMetricPoints(
  driver: ClickhouseDriver,
  projectId: string,
  params: MetricPointParams,
): Promise<MetricPointsResult> {
  const window = bucketWindow(params, params.stepSeconds);
  const base = {
    name: params.name,
    step: params.stepSeconds,
    from: new Date(window.fromMs).toISOString(),
    to: new Date(window.toMs).toISOString(),
  };
  const where = predicate(projectId, params, window.fromMs, window.toMs);
  const [shape] = await driver.query<Shape>(
    `SELECT metric_type AS type, unit, temporality, is_monotonic AS monotonic
FROM metric_points WHERE ${where.sql} ORDER BY time DESC LIMIT 1`,
    where.params,
  );
  if (!shape) return { ...base, unit: '', type: null, aggregation: params.aggregation ?? null, series: [] };
  const aggregation = params.aggregation ?? defaultAggregation(shape);
  checkAggregation(aggregation, shape, params.name);
  const series = usesIncreases(aggregation, shape.type)
    ? await increaseSeries(driver, projectId, params, window, shape, aggregation)
    : await valueSeries(driver, params, where, shape, aggregation);
  return { ...base, unit: shape.unit, type: shape.type, aggregation, series };
}

function defaultAggregation(shape: Shape): Aggregation {
  return shape.type === 'sum' && shape.monotonic ? 'rate' : 'avg';
}

const isHistogram = (type: string) => type === 'histogram';
const hasCounts = (type: string) =>
  type === 'histogram' || type === 'exponential_histogram' || type === 'summary';

function checkAggregation(aggregation: Aggregation, shape: Shape, name: string): void {
  const what = `${quote(name)} is a ${shape.type === 'sum' && !shape.monotonic ? 'non-monotonic sum' : shape.type}`;
  if (aggregation === 'rate' && !(hasCounts(shape.type) || (shape.type === 'sum' && shape.monotonic))) {
    throw invalidParameter('aggregation', `'rate' needs a monotonic sum or a histogram; ${what}`);
  }
  if (aggregation.startsWith('p') && !isHistogram(shape.type)) {
    throw invalidParameter(
      'aggregation',
      `'${aggregation}' needs a histogram with explicit buckets; ${what}`,
    );
  }
  if (aggregation === 'last' && hasCounts(shape.type)) {
    throw invalidParameter('aggregation', `'last' needs a gauge or a sum; ${what}`);
  }
}

function usesIncreases(aggregation: Aggregation, type: string): boolean {
  if (aggregation === 'rate' || aggregation.startsWith('p')) return true;
  return hasCounts(type) && (aggregation === 'avg' || aggregation === 'sum');
}

interface Predicate {
  sql: string;
  params: QueryParams;
}

/** Project, metric, half-open window [fromMs, toMs) and attribute filters. */
function predicate(projectId: string, params: MetricPointParams, fromMs: number, toMs: number): Predicate {
  const bound: QueryParams = { projectId, name: params.name, fromMs, toMs };
  const conditions = [
    'project_id = {projectId:String}',
    'metric_name = {name:String}',
    "time >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC')",
    "time < fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')",
  ];
  params.attributes.forEach((filter, i) => {
    bound[`ak${i}`] = filter.key;
    bound[`av${i}`] = filter.values;
    // Values are non-empty, so an absent key (read as '') never matches.
    conditions.push(
      `(attributes[{ak${i}:String}] IN {av${i}:Array(String)} OR resource_attributes[{ak${i}:String}] IN {av${i}:Array(String)})`,
    );
  });
  params.groupBy.forEach((key, i) => {
    bound[`gk${i}`] = key;
  });
  return { sql: conditions.join('\n  AND '), params: bound };
}

/** The group columns (`g_0` …) and the filter keeping the busiest groups. */
function groups(
  params: MetricPointParams,
  where: Predicate,
): { select: string; keys: string; filter: string } {
  if (params.groupBy.length === 0) return { select: '', keys: '', filter: '' };
  const exprs = params.groupBy.map(
    (_, i) =>
      `if(mapContains(attributes, {gk${i}:String}), attributes[{gk${i}:String}], resource_attributes[{gk${i}:String}])`,
  );
  const aliases = exprs.map((_, i) => `g_${i}`);
  const select = exprs.map((expr, i) => `${expr} AS ${aliases[i]}`).join(', ');
  const tuple = exprs.length === 1 ? exprs[0]! : `tuple(${exprs.join(', ')})`;
  const busiest = `SELECT ${select} FROM metric_points WHERE ${where.sql}
    GROUP BY ${aliases.join(', ')} ORDER BY count() DESC, ${aliases.join(', ')} LIMIT ${MAX_METRIC_SERIES}`;
  return {
    select: `, ${select}`,
    keys: `, ${aliases.join(', ')}`,
    filter: `\n  AND ${tuple} IN (${busiest})`,
  };
}

type GroupRow = Record<string, unknown>;
const groupValues = (row: GroupRow, count: number): string[] =>
  Array.from({ length: count }, (_, i) => String(row[`g_${i}`] ?? ''));

const SQL_FUNCTIONS: Partial<Record<Aggregation, string>> = {
  avg: 'avg',
  min: 'min',
  max: 'max',
  sum: 'sum',
};

/** avg/min/max/sum/last of point values (gauges, sums; min/max of histograms), in ClickHouse. */
async function valueSeries(
  driver: ClickhouseDriver,
  params: MetricPointParams,
  where: Predicate,
  shape: Shape,
  aggregation: Aggregation,
): Promise<MetricSeries[]> {
  const g = groups(params, where);
  const bucket = 'intDiv(toUnixTimestamp64Milli(time), {stepMs:Int64}) * {stepMs:Int64}';
  const scope = `FROM metric_points WHERE ${where.sql}\n  AND metric_type = {type:String}${g.filter}`;
  const column = hasCounts(shape.type) ? aggregation : 'value';
  const sql =
    aggregation === 'last'
      ? `SELECT bucket_ms${g.keys}, sum(v) AS v FROM (
  SELECT ${bucket} AS bucket_ms${g.select}, ${STREAM} AS stream, argMax(value, time) AS v
  ${scope}
  GROUP BY bucket_ms${g.keys}, stream)
GROUP BY bucket_ms${g.keys} ORDER BY bucket_ms LIMIT {maxRows:UInt32}`
      : `SELECT ${bucket} AS bucket_ms${g.select}, ${SQL_FUNCTIONS[aggregation]}(${column}) AS v
${scope}
GROUP BY bucket_ms${g.keys} ORDER BY bucket_ms LIMIT {maxRows:UInt32}`;
  const rows = await driver.query<GroupRow & { bucket_ms: string; v: number | null }>(sql, {
    ...where.params,
    type: shape.type,
    stepMs: params.stepSeconds * 1000,
    maxRows: MAX_ROWS,
  });
  const out = new SeriesBuilder(params.groupBy);
  for (const row of rows) {
    if (row.v !== null && Number.isFinite(Number(row.v))) {
      out.add(groupValues(row, params.groupBy.length), Number(row.bucket_ms), Number(row.v));
    }
  }
  return out.build();
}

type RawRow = GroupRow & {
  stream: string;
  t: string;
  st: string;
  v: string | number;
  s: number;
  b: string[];
  e: number[];
};

/** rate, percentiles, and histogram avg/sum, from the increases of each stream. */
async function increaseSeries(
  driver: ClickhouseDriver,
  projectId: string,
  params: MetricPointParams,
  window: { fromMs: number; toMs: number },
  shape: Shape,
  aggregation: Aggregation,
): Promise<MetricSeries[]> {
  const cumulative = shape.temporality !== 1;
  const lookback = cumulative ? Math.max(LOOKBACK_MS, params.stepSeconds * 1000) : 0;
  const where = predicate(projectId, params, window.fromMs - lookback, window.toMs);
  const g = groups(params, where);
  const rows = await driver.query<RawRow>(
    `SELECT ${STREAM} AS stream${g.select},
  toString(toUnixTimestamp64Nano(time)) AS t, toString(toUnixTimestamp64Nano(start_time)) AS st,
  ${hasCounts(shape.type) ? 'count' : 'value'} AS v, sum AS s, bucket_counts AS b, explicit_bounds AS e
FROM metric_points WHERE ${where.sql}
  AND metric_type = {type:String}${g.filter}
ORDER BY stream, time LIMIT {maxRows:UInt32}`,
    { ...where.params, type: shape.type, maxRows: MAX_RAW_POINTS + 1 },
  );
  if (rows.length > MAX_RAW_POINTS) {
    throw invalidParameter(
      'from',
      `the window holds more than ${MAX_RAW_POINTS} points of ${quote(params.name)}; narrow it, or filter with attr.<key>=<value>`,
    );
  }
  const groupOf = new Map<string, string[]>();
  const points: StreamPoint[] = rows.map((row) => {
    if (!groupOf.has(row.stream)) groupOf.set(row.stream, groupValues(row, params.groupBy.length));
    return {
      stream: row.stream,
      timeNs: BigInt(row.t),
      startNs: BigInt(row.st),
      value: Number(row.v),
      sum: Number(row.s),
      buckets: row.b.map(Number),
      bounds: row.e,
    };
  });
  const stepMs = params.stepSeconds * 1000;
  const acc = new Map<string, { group: string[]; buckets: Map<number, Accumulator> }>();
  for (const inc of increases(points, cumulative, BigInt(window.fromMs) * 1_000_000n)) {
    const group = groupOf.get(inc.point.stream) ?? [];
    const key = group.join('\u0001');
    const entry = acc.get(key) ?? { group, buckets: new Map<number, Accumulator>() };
    acc.set(key, entry);
    const bucketMs = Math.floor(Number(inc.point.timeNs / 1_000_000n) / stepMs) * stepMs;
    const a = entry.buckets.get(bucketMs) ?? { value: 0, sum: 0 };
    entry.buckets.set(bucketMs, a);
    a.value += inc.value;
    a.sum += inc.sum;
    if (inc.buckets.length > 0 && (a.bounds === undefined || sameBounds(a.bounds, inc.point.bounds))) {
      a.bounds ??= inc.point.bounds;
      a.counts ??= new Array<number>(inc.buckets.length).fill(0);
      for (let i = 0; i < inc.buckets.length; i++) a.counts[i]! += inc.buckets[i]!;
    }
  }
  const out = new SeriesBuilder(params.groupBy);
  for (const { group, buckets } of acc.values()) {
    for (const [bucketMs, a] of buckets) {
      const value = finish(a, aggregation, params.stepSeconds);
      if (value !== undefined && Number.isFinite(value)) out.add(group, bucketMs, value);
    }
  }
  return out.build();
}

interface Accumulator {
  /** Increase of the sum, or of the histogram count. */
  value: number;
  /** Increase of the histogram sum. */
  sum: number;
  counts?: number[];
  bounds?: readonly number[];
}

const QUANTILES: Partial<Record<Aggregation, number>> = { p50: 0.5, p95: 0.95, p99: 0.99 };

function finish(a: Accumulator, aggregation: Aggregation, stepSeconds: number): number | undefined {
  if (aggregation === 'rate') return a.value / stepSeconds;
  if (aggregation === 'sum') return a.sum;
  if (aggregation === 'avg') return a.value > 0 ? a.sum / a.value : undefined;
  const q = QUANTILES[aggregation];
  return q === undefined || !a.counts || !a.bounds ? undefined : histogramQuantile(q, a.bounds, a.counts);
}
