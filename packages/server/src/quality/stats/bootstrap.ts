/**
 * Percentile bootstrap confidence intervals on a mean (Efron & Tibshirani 1993, ch. 13),
 * seeded so that the same data give the same interval on every call.
 */
import { mean, quantileSorted } from './describe.ts';
import { DEFAULT_SEED, type Random, seededRandom } from './random.ts';

/** Options of {@link bootstrapMean}. */
export interface BootstrapOptions {
  /** Resamples drawn (default 2,000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Seed of the resampling (default {@link DEFAULT_SEED}). */
  seed?: number;
}

/** A mean with its bootstrap interval. */
export interface MeanInterval {
  mean: number;
  /** `[lower, upper]` at the requested level; `[mean, mean]` for one value. */
  ci95: [number, number];
  n: number;
}

/** Default number of bootstrap resamples. */
export const DEFAULT_RESAMPLES = 2_000;

/**
 * The mean of `values` and its percentile bootstrap interval.
 * Returns NaN bounds for no values.
 */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): MeanInterval {
  const n = values.length;
  const center = mean(values);
  if (n === 0) return { mean: Number.NaN, ci95: [Number.NaN, Number.NaN], n: 0 };
  if (n === 1) return { mean: center, ci95: [center, center], n };
  const means = resampleMeans(
    values,
    options.resamples ?? DEFAULT_RESAMPLES,
    seededRandom(options.seed ?? DEFAULT_SEED),
  );
  const alpha = 1 - (options.level ?? 0.95);
  return { mean: center, ci95: [quantileSorted(means, alpha / 2), quantileSorted(means, 1 - alpha / 2)], n };
}

/** Sorted means of `count` resamples (with replacement) of `values`. */
export function resampleMeans(values: readonly number[], count: number, random: Random): Float64Array {
  const n = values.length;
  const means = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)]!;
    means[r] = sum / n;
  }
  return means.sort();
}
