/**
 * Drift tests for numeric features (token counts, latency, cost, perplexity, scores): the
 * two-sample Kolmogorov–Smirnov test for small references, the Wasserstein distance normalised
 * by the reference's standard deviation for large ones, and the population stability index
 * reported beside either. Pure functions.
 */
import { kolmogorovSurvival } from './special.ts';

/** Reference size up to which KS decides (above it, the normalised Wasserstein distance). */
export const KS_MAX_REFERENCE = 1_000;
/** KS decides drift below this p-value. */
export const KS_ALPHA = 0.05;
/** Normalised Wasserstein distance above which a large sample has drifted. */
export const WASSERSTEIN_THRESHOLD = 0.1;
const PSI_BINS = 10;
const PSI_EPSILON = 1e-4;

/** The outcome of one numeric test. */
export interface NumericDrift {
  test: 'ks' | 'wasserstein';
  statistic: number;
  pValue?: number;
  threshold: number;
  drifted: boolean;
  psi: number;
}

const ascending = (values: readonly number[]) => Float64Array.from(values).sort();

/** KS statistic D (largest gap between the empirical CDFs) and its asymptotic p-value. */
export function ksTest(
  reference: readonly number[],
  current: readonly number[],
): { d: number; pValue: number } {
  const a = ascending(reference);
  const b = ascending(current);
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return { d: 0, pValue: 1 };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < n && a[i]! <= x) i++;
    while (j < m && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const en = Math.sqrt((n * m) / (n + m));
  // Stephens' small-sample correction of the asymptotic distribution.
  return { d, pValue: kolmogorovSurvival((en + 0.12 + 0.11 / en) * d) };
}

/** W1 between two empirical distributions: the area between their CDFs. */
export function wasserstein(reference: readonly number[], current: readonly number[]): number {
  const a = ascending(reference);
  const b = ascending(current);
  if (a.length === 0 || b.length === 0) return 0;
  const all = Float64Array.from([...a, ...b]).sort();
  let i = 0;
  let j = 0;
  let area = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const x = all[k]!;
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
    area += Math.abs(i / a.length - j / b.length) * (all[k + 1]! - x);
  }
  return area;
}

function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
}

/**
 * W1 divided by the reference's standard deviation (0 for identical samples). A reference
 * without spread uses the mean absolute value of both samples instead, so a constant that moves
 * still counts.
 */
export function normedWasserstein(reference: readonly number[], current: readonly number[]): number {
  const w = wasserstein(reference, current);
  if (w === 0) return 0;
  let scale = standardDeviation(reference);
  if (scale === 0) {
    const all = [...reference, ...current];
    scale = all.reduce((s, v) => s + Math.abs(v), 0) / all.length || 1;
  }
  return w / scale;
}

/** PSI over ten bins cut at the reference's deciles: Σ (c − r)·ln(c / r). */
export function psi(reference: readonly number[], current: readonly number[]): number {
  const a = ascending(reference);
  if (a.length === 0 || current.length === 0) return 0;
  const cuts: number[] = [];
  for (let k = 1; k < PSI_BINS; k++) {
    const cut = a[Math.min(a.length - 1, Math.floor((k * a.length) / PSI_BINS))]!;
    if (cuts.at(-1) !== cut) cuts.push(cut);
  }
  const share = (values: readonly number[] | Float64Array) => {
    const counts = new Array<number>(cuts.length + 1).fill(0);
    for (const v of values) {
      let bin = 0;
      while (bin < cuts.length && v >= cuts[bin]!) bin++;
      counts[bin]!++;
    }
    return counts.map((c) => Math.max(c / values.length, PSI_EPSILON));
  };
  const r = share(a);
  const c = share(current);
  return r.reduce((sum, rv, k) => sum + (c[k]! - rv) * Math.log(c[k]! / rv), 0);
}

/** The default numeric test for the sample sizes (KS up to 1,000 reference values). */
export function numericDrift(reference: readonly number[], current: readonly number[]): NumericDrift {
  const stability = psi(reference, current);
  if (reference.length <= KS_MAX_REFERENCE) {
    const { d, pValue } = ksTest(reference, current);
    return {
      test: 'ks',
      statistic: d,
      pValue,
      threshold: KS_ALPHA,
      drifted: pValue < KS_ALPHA,
      psi: stability,
    };
  }
  const distance = normedWasserstein(reference, current);
  return {
    test: 'wasserstein',
    statistic: distance,
    threshold: WASSERSTEIN_THRESHOLD,
    drifted: distance > WASSERSTEIN_THRESHOLD,
    psi: stability,
  };
}
