/**
 * The series of a metric-points answer: one per group, points sorted by time, at most
 * {@link MAX_METRIC_SERIES}, ordered by their label values.
 */

/** Most series in one answer. */
export const MAX_METRIC_SERIES = 100;

/** One series of the answer. */
export interface MetricSeries {
  labels: Record<string, string>;
  points: { time: string; value: number }[];
}

/** Collects points per group into sorted series. */
export class SeriesBuilder {
  readonly #keys: readonly string[];
  readonly #series = new Map<string, { group: string[]; points: Map<number, number> }>();

  constructor(keys: readonly string[]) {
    this.#keys = keys;
  }

  /** Sets the value of one bucket of a group. */
  add(group: string[], bucketMs: number, value: number): void {
    const key = group.join('\u0001');
    const entry = this.#series.get(key) ?? { group, points: new Map<number, number>() };
    this.#series.set(key, entry);
    entry.points.set(bucketMs, value);
  }

  /** The series, sorted by label values, at most {@link MAX_METRIC_SERIES}. */
  build(): MetricSeries[] {
    return [...this.#series.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, MAX_METRIC_SERIES)
      .map(([, { group, points }]) => ({
        labels: Object.fromEntries(this.#keys.map((key, i) => [key, group[i] ?? ''])),
        points: [...points.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([time, value]) => ({ time: new Date(time).toISOString(), value })),
      }));
  }
}
