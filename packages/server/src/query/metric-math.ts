/**
 * Pure arithmetic of the metric-points query: increases of cumulative series (with counter
 * resets), and quantiles from histogram buckets the way Prometheus' `histogram_quantile` does.
 */

/** One stored point of a sum or histogram stream, as the query reads it. */
export interface StreamPoint {
  /** Identity of the stream (scope + attributes + resource attributes). */
  stream: string;
  timeNs: bigint;
  startNs: bigint;
  /** Sum value, or the histogram's count for histograms. */
  value: number;
  /** Histogram sum of observations (0 for sums). */
  sum: number;
  /** Histogram per-bucket counts (empty for sums). */
  buckets: readonly number[];
  bounds: readonly number[];
}

/** What a point added since the previous point of its stream. */
export interface Increase {
  point: StreamPoint;
  value: number;
  sum: number;
  buckets: readonly number[];
}

/**
 * The increases of points sorted by stream, then time. Delta points are their own increase.
 * A cumulative point's increase is its difference from the previous point of the stream; after
 * a reset (see {@link isReset}) it is the point itself, as the series restarted from zero. The first point seen of a stream is only a
 * baseline unless the stream started inside the window (`fromNs` ≤ start < time). Points
 * before `fromNs` (the look-back) serve as baselines and yield nothing.
 */
export function increases(points: readonly StreamPoint[], cumulative: boolean, fromNs: bigint): Increase[] {
  const out: Increase[] = [];
  let previous: StreamPoint | undefined;
  for (const point of points) {
    if (previous !== undefined && previous.stream !== point.stream) previous = undefined;
    const before = previous;
    previous = point;
    if (point.timeNs < fromNs) continue;
    if (!cumulative) {
      out.push({ point, value: point.value, sum: point.sum, buckets: point.buckets });
      continue;
    }
    if (before === undefined) {
      if (point.startNs >= fromNs && point.startNs < point.timeNs) {
        out.push({ point, value: point.value, sum: point.sum, buckets: point.buckets });
      }
      continue;
    }
    if (isReset(before, point)) {
      out.push({ point, value: point.value, sum: point.sum, buckets: point.buckets });
      continue;
    }
    out.push({
      point,
      value: point.value - before.value,
      sum: point.sum - before.sum,
      buckets: point.buckets.map((count, i) => count - (before.buckets[i] ?? 0)),
    });
  }
  return out;
}

/**
 * A counter reset: the value (or a bucket) went down, the buckets changed, or the series
 * restarted after the previous point (a start time later than that point). A start time that
 * merely moved within the past (a scraper's estimate) is no reset.
 */
function isReset(before: StreamPoint, point: StreamPoint): boolean {
  if (point.value < before.value) return true;
  if (point.startNs !== before.startNs && point.startNs > before.timeNs) return true;
  if (point.buckets.length !== before.buckets.length || !sameBounds(point.bounds, before.bounds)) return true;
  for (let i = 0; i < point.buckets.length; i++) if (point.buckets[i]! < before.buckets[i]!) return true;
  return false;
}

/** True when two bucket-bound lists are equal. */
export function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The `q` quantile (0…1) of a histogram given per-bucket counts (`counts[i]` for values
 * ≤ `bounds[i]`, the last count for +Inf). Linear interpolation inside the bucket, the lowest
 * bucket starting at 0 (or at its bound when that is negative); a quantile in the +Inf bucket is
 * the highest finite bound. Undefined when the histogram is empty.
 */
export function histogramQuantile(
  q: number,
  bounds: readonly number[],
  counts: readonly number[],
): number | undefined {
  let total = 0;
  for (const count of counts) total += count;
  if (!(total > 0) || bounds.length === 0) return undefined;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (cumulative + count >= rank && count > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1];
      const upper = bounds[i]!;
      const lower = i === 0 ? Math.min(0, upper) : bounds[i - 1]!;
      if (i === 0 && upper <= 0) return upper;
      return lower + ((upper - lower) * (rank - cumulative)) / count;
    }
    cumulative += count;
  }
  return bounds[bounds.length - 1];
}
