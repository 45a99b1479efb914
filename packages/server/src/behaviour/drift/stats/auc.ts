/**
 * ROC AUC by ranks (Mann–Whitney U, ties averaged) and its permutation null: the AUC of the same
 * scores under shuffled labels, whose 95th percentile is the drift threshold of a classifier.
 */
import type { Random } from '../../../quality/stats/random.ts';

/** Ranks (1-based, ties averaged) of `scores`. */
export function ranksOf(scores: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Float64Array(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  return ranks;
}

/** AUC of `scores` for `labels` (true = positive); 0.5 when a class is empty. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  return aucOfRanks(ranksOf(scores), labels);
}

function aucOfRanks(ranks: Float64Array, labels: ArrayLike<boolean>): number {
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < ranks.length; i++) {
    if (labels[i]) {
      positives++;
      rankSum += ranks[i]!;
    }
  }
  const negatives = ranks.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The `quantile` of the AUC of `scores` when the labels are shuffled `permutations` times, and
 * the share of shuffles at least as high as the observed AUC (the permutation p-value).
 */
export function aucPermutation(
  scores: ArrayLike<number>,
  labels: readonly boolean[],
  options: { permutations: number; quantile: number; random: Random },
): { auc: number; threshold: number; pValue: number } {
  const ranks = ranksOf(scores);
  const auc = aucOfRanks(ranks, labels);
  const shuffled = [...labels];
  const nulls = new Float64Array(options.permutations);
  let atLeast = 0;
  for (let p = 0; p < options.permutations; p++) {
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(options.random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    nulls[p] = aucOfRanks(ranks, shuffled);
    if (nulls[p]! >= auc) atLeast++;
  }
  nulls.sort();
  const index = Math.min(nulls.length - 1, Math.ceil(options.quantile * nulls.length) - 1);
  return {
    auc,
    threshold: nulls[Math.max(0, index)] ?? 0.5,
    pValue: (atLeast + 1) / (options.permutations + 1),
  };
}
