/**
 * Turns `/api/v1/metrics/series` answers into chart-ready columns: one time axis for the whole
 * window (buckets the API left out are zero for counts, gaps for latencies), per-group totals
 * for breakdown tables.
 */
import type { GroupBy, MetricName, SeriesResult } from '../api-types.ts';

/** A chart line. */
export interface ChartSeries {
  name: string;
  values: (number | undefined)[];
  color?: string;
  /** `line` (default), `points` (markers only, like anomalies) or `dash` (a threshold). */
  style?: 'line' | 'points' | 'dash';
}

/** A shaded range between two value columns (an anomaly rule's expected band). */
export interface ChartBand {
  name: string;
  lower: (number | undefined)[];
  upper: (number | undefined)[];
  color?: string;
}

/** Chart columns: bucket start times (ms), the lines and an optional band. */
export interface ChartData {
  times: number[];
  stepMs: number;
  series: ChartSeries[];
  band?: ChartBand;
}

// Metrics whose missing buckets mean "nothing happened" rather than "unknown".
const ADDITIVE: ReadonlySet<string> = new Set([
  'requests',
  'errors',
  'inputTokens',
  'outputTokens',
  'costUsd',
]);

/** Bucket start times from the answer's `from` to `to`. */
export function bucketTimes(result: Pick<SeriesResult, 'from' | 'to' | 'step'>): number[] {
  const from = Date.parse(result.from);
  const to = Date.parse(result.to);
  const stepMs = result.step * 1000;
  const times: number[] = [];
  if (!Number.isFinite(from) || !Number.isFinite(to) || stepMs <= 0) return times;
  for (let t = from; t < to && times.length < 5000; t += stepMs) times.push(t);
  return times;
}

/** The label of a series group (`gpt-4o`, `(none)` for an empty value). */
export function groupLabel(group: Partial<Record<GroupBy, string>>, groupBy: GroupBy | null): string {
  if (!groupBy) return 'all';
  const value = group[groupBy];
  return value ? value : '(none)';
}

/**
 * One line per metric of the ungrouped answer (or per group for one metric when grouped),
 * aligned on the window's buckets.
 */
export function toChartData(
  result: SeriesResult,
  metrics: readonly MetricName[],
  options: { maxGroups?: number; labels?: Partial<Record<MetricName, string>> } = {},
): ChartData {
  const times = bucketTimes(result);
  const index = new Map(times.map((t, i) => [t, i]));
  const column = (points: SeriesResult['series'][number]['points'], metric: MetricName) => {
    const values: (number | undefined)[] = times.map(() => (ADDITIVE.has(metric) ? 0 : undefined));
    for (const point of points) {
      const i = index.get(Date.parse(point.time));
      // A bucket without requests has no latency (the API reports 0 there): leave a gap.
      const isEmpty = !ADDITIVE.has(metric) && point.requests === 0;
      if (i !== undefined) values[i] = isEmpty ? undefined : point[metric];
    }
    return values;
  };
  let series: ChartSeries[];
  if (result.groupBy) {
    const metric = metrics[0]!;
    series = rankGroups(result, metric)
      .slice(0, options.maxGroups ?? 8)
      .map(({ label, points }) => ({ name: label, values: column(points, metric) }));
  } else {
    const points = result.series[0]?.points ?? [];
    series = metrics.map((metric) => ({
      name: options.labels?.[metric] ?? metric,
      values: column(points, metric),
    }));
  }
  return { times, stepMs: result.step * 1000, series };
}

/** Per-group sums of additive metrics, busiest first. */
export interface GroupTotals {
  label: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Request-weighted mean of the buckets' p95 latency (an approximation across buckets). */
  latencyP95: number | undefined;
}

/** Sums each group's points (for breakdown tables), sorted by `sortBy` descending. */
export function groupTotals(
  result: SeriesResult,
  sortBy: keyof Omit<GroupTotals, 'label'> = 'requests',
): GroupTotals[] {
  const rows = result.series.map(({ group, points }) => {
    const totals: GroupTotals = {
      label: groupLabel(group, result.groupBy),
      requests: 0,
      errors: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      latencyP95: undefined,
    };
    let weighted = 0;
    let weight = 0;
    for (const p of points) {
      totals.requests += p.requests ?? 0;
      totals.errors += p.errors ?? 0;
      totals.inputTokens += p.inputTokens ?? 0;
      totals.outputTokens += p.outputTokens ?? 0;
      totals.costUsd += p.costUsd ?? 0;
      if (p.latencyP95 !== undefined && p.requests) {
        weighted += p.latencyP95 * p.requests;
        weight += p.requests;
      }
    }
    totals.latencyP95 = weight > 0 ? weighted / weight : undefined;
    return totals;
  });
  return rows.sort((a, b) => (b[sortBy] ?? 0) - (a[sortBy] ?? 0));
}

// Busiest first by requests when the answer has them, so that every chart of one answer lists
// (and colors) the groups in the same order; else by the metric itself.
function rankGroups(result: SeriesResult, metric: MetricName) {
  const hasRequests = result.series.some(({ points }) => points.some((p) => p.requests !== undefined));
  const by: MetricName = hasRequests ? 'requests' : metric;
  return result.series
    .map(({ group, points }) => ({
      label: groupLabel(group, result.groupBy),
      points,
      weight: points.reduce((sum, p) => sum + (p[by] ?? 0), 0),
    }))
    .sort((a, b) => b.weight - a.weight || a.label.localeCompare(b.label));
}

/** Sums a chart line (missing buckets count 0). */
export function sumValues(values: readonly (number | undefined)[]): number {
  return values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
}
