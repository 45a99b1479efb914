/**
 * Agreement between two raters (a judge and people, or two people): Cohen's κ for labels,
 * Pearson and Spearman correlations for numbers, each with a 95 % interval, and the mean
 * absolute difference. Pure functions, no I/O.
 */

/** An estimate and its 95 % confidence interval (absent when too few pairs to have one). */
export interface Interval {
  value: number;
  low?: number;
  high?: number;
}

/** The two-sided 95 % normal quantile. */
const Z_95 = 1.959963984540054;

const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));

/**
 * Cohen's κ of two raters' labels, `(pₒ − pₑ) / (1 − pₑ)`, with the large-sample interval
 * κ ± 1.96·√(pₒ(1 − pₒ) / (n(1 − pₑ)²)) clamped to [−1, 1]. NaN for no pairs; 1 when both raters
 * used one and the same label throughout (pₑ = 1, perfect and uninformative agreement).
 */
export function cohensKappa(pairs: readonly { a: string; b: string }[]): Interval {
  const n = pairs.length;
  if (n === 0) return { value: Number.NaN };
  const countsA = new Map<string, number>();
  const countsB = new Map<string, number>();
  let agreed = 0;
  for (const { a, b } of pairs) {
    countsA.set(a, (countsA.get(a) ?? 0) + 1);
    countsB.set(b, (countsB.get(b) ?? 0) + 1);
    if (a === b) agreed++;
  }
  const observed = agreed / n;
  let expected = 0;
  for (const [label, count] of countsA) expected += (count / n) * ((countsB.get(label) ?? 0) / n);
  if (expected === 1) return { value: 1 };
  const kappa = (observed - expected) / (1 - expected);
  if (n < 2) return { value: kappa };
  const se = Math.sqrt((observed * (1 - observed)) / (n * (1 - expected) ** 2));
  return { value: kappa, low: clamp(kappa - Z_95 * se, -1, 1), high: clamp(kappa + Z_95 * se, -1, 1) };
}

/** Pearson's r of paired values (NaN when either side is constant or there are under 2 pairs). */
function pearsonR(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** The Fisher-z interval of a correlation: tanh(atanh(r) ± 1.96·√(variance / (n − 3))). */
function fisherInterval(r: number, n: number, variance: number): Interval {
  if (!Number.isFinite(r) || n < 4) return { value: r };
  if (Math.abs(r) === 1) return { value: r, low: r, high: r };
  const z = Math.atanh(r);
  const half = Z_95 * Math.sqrt(variance / (n - 3));
  return { value: r, low: Math.tanh(z - half), high: Math.tanh(z + half) };
}

/** Pearson's correlation with its Fisher-z 95 % interval (needs 4 pairs for an interval). */
export function pearson(x: readonly number[], y: readonly number[]): Interval {
  return fisherInterval(pearsonR(x, y), Math.min(x.length, y.length), 1);
}

/** Ranks 1…n, ties sharing their average rank. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[order[k]!.i] = rank;
    start = end + 1;
  }
  return out;
}

/**
 * Spearman's ρ (Pearson's r of the ranks, ties averaged) with the Fisher-z interval of
 * Fieller, Hartley and Pearson (variance 1.06 / (n − 3)).
 */
export function spearman(x: readonly number[], y: readonly number[]): Interval {
  const n = Math.min(x.length, y.length);
  return fisherInterval(pearsonR(ranks(x.slice(0, n)), ranks(y.slice(0, n))), n, 1.06);
}

/** Mean of |x − y| over the pairs; NaN for none. */
export function meanAbsoluteDifference(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / n;
}
