/**
 * Paired comparison of two experiments on the same dataset: per evaluator, items are paired
 * (repetitions averaged per item, the item being the independent unit), and the difference
 * candidate − baseline gets a bootstrap interval, a p-value and a regression verdict.
 */
import type { EvaluatorComparison, MeasureDelta } from '@argus/shared';
import { bootstrapMean } from './bootstrap.ts';
import { isBinary, mean } from './describe.ts';
import { DEFAULT_SEED } from './random.ts';
import { mcnemarExact, pairedPermutation } from './tests.ts';

/** One item's scores on both sides (each the mean over its repetitions). */
export interface ScorePair {
  baseline: number;
  candidate: number;
}

/** Options of {@link comparePaired}. */
export interface CompareOptions {
  /** Significance level of the verdict (default 0.05). */
  alpha?: number;
  seed?: number;
  /** Bootstrap resamples for the interval (default 2,000). */
  resamples?: number;
  /** Random sign flips of the permutation test when it is not exact (default 10,000). */
  permutations?: number;
}

/**
 * The paired comparison of one evaluator (higher scores are better): `difference` is the mean
 * of candidate − baseline, `regression`/`improvement` hold only when significant at `alpha`.
 */
export type PairedComparison = EvaluatorComparison;

/** Default significance level of a regression verdict. */
export const DEFAULT_ALPHA = 0.05;

/** Compares paired scores; pass/fail pairs use McNemar's exact test, others the permutation test. */
export function comparePaired(pairs: readonly ScorePair[], options: CompareOptions = {}): PairedComparison {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const seed = options.seed ?? DEFAULT_SEED;
  const differences = pairs.map((p) => p.candidate - p.baseline);
  const improved = differences.filter((d) => d > 0).length;
  const regressed = differences.filter((d) => d < 0).length;
  const difference = mean(differences);
  const interval = bootstrapMean(differences, { seed, resamples: options.resamples });
  const binary = isBinary(pairs.map((p) => p.baseline)) && isBinary(pairs.map((p) => p.candidate));
  let pValue = 1;
  let test: PairedComparison['test'] = 'none';
  if (pairs.length > 0) {
    test = binary ? 'mcnemar_exact' : 'paired_permutation';
    pValue = binary
      ? mcnemarExact(regressed, improved)
      : pairedPermutation(differences, { seed, resamples: options.permutations });
  }
  const significant = pValue < alpha;
  return {
    n: pairs.length,
    baselineMean: mean(pairs.map((p) => p.baseline)),
    candidateMean: mean(pairs.map((p) => p.candidate)),
    difference,
    ci95: interval.ci95,
    pValue,
    test,
    improved,
    regressed,
    unchanged: pairs.length - improved - regressed,
    regression: significant && difference < 0,
    improvement: significant && difference > 0,
  };
}

/** The mean paired delta of a measure (latency, cost) with its bootstrap interval. */
export type PairedDelta = MeasureDelta;

/** Candidate − baseline for a paired measure such as latency or cost. */
export function pairedDelta(pairs: readonly ScorePair[], seed: number = DEFAULT_SEED): PairedDelta {
  const interval = bootstrapMean(
    pairs.map((p) => p.candidate - p.baseline),
    { seed },
  );
  return {
    n: pairs.length,
    baselineMean: mean(pairs.map((p) => p.baseline)),
    candidateMean: mean(pairs.map((p) => p.candidate)),
    delta: interval.mean,
    ci95: interval.ci95,
  };
}
