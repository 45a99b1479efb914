/**
 * Two-sided significance tests for paired samples: McNemar's exact test for pass/fail
 * outcomes and the paired (sign-flip) permutation test for numeric scores.
 */
import { DEFAULT_SEED, seededRandom } from './random.ts';

/**
 * McNemar's exact test: `b` pairs passed only on one side, `c` only on the other. Under the
 * null each discordant pair goes either way with probability ½, so the p-value is the
 * two-sided binomial tail `min(1, 2·P[X ≤ min(b, c)])`, X ~ Binomial(b + c, ½).
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum in log space so large counts neither overflow nor underflow.
  let logTerm = -n * Math.LN2; // log P[X = 0]
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i);
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}

/** Options of {@link pairedPermutation}. */
export interface PermutationOptions {
  /** Random sign flips drawn when exact enumeration is too large (default 10,000). */
  resamples?: number;
  seed?: number;
  /** Largest number of non-zero differences enumerated exactly (2^n patterns; default 16). */
  maxExact?: number;
}

/**
 * Paired permutation test of "mean difference = 0": under the null each difference's sign is
 * equally likely, so the p-value is the share of sign patterns whose |mean| reaches the
 * observed one. Exact for few non-zero differences, else Monte Carlo with the `(1 + k)/(1 + R)`
 * correction (never 0).
 */
export function pairedPermutation(differences: readonly number[], options: PermutationOptions = {}): number {
  const nonZero = differences.filter((d) => d !== 0);
  const m = nonZero.length;
  if (m === 0) return 1;
  // Compare sums (same n for every pattern) with a tolerance for floating-point noise.
  const observed = Math.abs(nonZero.reduce((s, d) => s + d, 0));
  const tolerance = 1e-9 * Math.max(1, observed);
  if (m <= (options.maxExact ?? 16)) {
    let extreme = 0;
    const patterns = 2 ** m;
    for (let mask = 0; mask < patterns; mask++) {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += mask & (1 << i) ? -nonZero[i]! : nonZero[i]!;
      if (Math.abs(sum) >= observed - tolerance) extreme++;
    }
    return extreme / patterns;
  }
  const resamples = options.resamples ?? 10_000;
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  let extreme = 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += random() < 0.5 ? -nonZero[i]! : nonZero[i]!;
    if (Math.abs(sum) >= observed - tolerance) extreme++;
  }
  return (1 + extreme) / (1 + resamples);
}
