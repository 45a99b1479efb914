/**
 * Text drift: a domain classifier over hashed TF-IDF separates the current window from the
 * reference; its ROC AUC on a held-out half is compared with the 95th percentile of the AUC
 * under shuffled labels (and, above 1,000 reference texts, with at least 0.55, so a huge sample does
 * not flag a trivial difference). Returns the characteristic words of each side and the texts
 * the classifier found most typical of each.
 */
import { seededRandom } from '../../../quality/stats/random.ts';
import { aucPermutation } from './auc.ts';
import { heldOutScores } from './classifier.ts';
import { tfidf } from './tfidf.ts';
import { characteristicWords, type MarkedWord } from './words.ts';

/** Fewest texts on each side for a verdict. */
export const MIN_TEXTS = 20;
export const TEXT_PERMUTATIONS = 500;
/** Smallest AUC that counts as drift above 1,000 reference texts. */
export const LARGE_SAMPLE_AUC = 0.55;
const LARGE_SAMPLE = 1_000;

/** The outcome of a text drift test; `typical` are indexes into each side's texts. */
export interface TextDrift {
  test: 'domain-classifier';
  statistic: number;
  pValue: number;
  threshold: number;
  drifted: boolean;
  words: { reference: MarkedWord[]; current: MarkedWord[] };
  typical: { reference: number[]; current: number[] };
}

/** Compares two samples of texts. Callers check {@link MIN_TEXTS} first. */
export function textDrift(
  reference: readonly string[],
  current: readonly string[],
  options: { seed?: number; examples?: number } = {},
): TextDrift {
  const random = seededRandom(options.seed);
  const { words, vectors } = tfidf([...reference, ...current]);
  const labels = vectors.map((_, i) => i >= reference.length);
  const { scores, testRows } = heldOutScores(vectors, labels, random);
  const tested = testRows.map((i) => scores[i]!);
  const { auc, threshold, pValue } = aucPermutation(
    tested,
    testRows.map((i) => labels[i]!),
    {
      permutations: TEXT_PERMUTATIONS,
      quantile: 0.95,
      random,
    },
  );
  const limit = reference.length > LARGE_SAMPLE ? Math.max(threshold, LARGE_SAMPLE_AUC) : threshold;
  const order = (from: number, to: number, sign: number) =>
    Array.from({ length: to - from }, (_, k) => from + k)
      .sort((a, b) => sign * (scores[b]! - scores[a]!))
      .slice(0, options.examples ?? 5);
  return {
    test: 'domain-classifier',
    statistic: auc,
    pValue,
    threshold: limit,
    drifted: auc > limit,
    words: characteristicWords(words.slice(0, reference.length), words.slice(reference.length)),
    typical: {
      reference: order(0, reference.length, -1),
      current: order(reference.length, labels.length, 1).map((i) => i - reference.length),
    },
  };
}
