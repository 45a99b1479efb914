/**
 * The domain classifier behind text drift: L2-regularised logistic regression trained by SGD on
 * hashed TF-IDF vectors to tell the current window from the reference, scored out of fold
 * (k-fold cross-validation), so its ROC AUC measures how separable the two samples are.
 */
import type { Random } from '../../../quality/stats/random.ts';
import { BUCKETS, dot, type SparseVector } from './tfidf.ts';

const EPOCHS = 6;
const LEARNING_RATE = 0.5;
const L2 = 1e-4;

/** Trains on `rows` (indexes into vectors/labels); classes weigh equally. */
function train(
  vectors: readonly SparseVector[],
  labels: readonly boolean[],
  rows: number[],
  random: Random,
): { weights: Float64Array; bias: number } {
  const weights = new Float64Array(BUCKETS);
  let bias = 0;
  const positives = rows.filter((r) => labels[r]).length;
  const negatives = rows.length - positives;
  const weightOf = (label: boolean) =>
    label ? rows.length / (2 * positives) : rows.length / (2 * negatives);
  const order = [...rows];
  let step = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const row of order) {
      const rate = LEARNING_RATE / (1 + 0.01 * step++);
      const vector = vectors[row]!;
      const target = labels[row] ? 1 : 0;
      const predicted = 1 / (1 + Math.exp(-(dot(vector, weights) + bias)));
      const gradient = (predicted - target) * weightOf(labels[row]!);
      for (let k = 0; k < vector.indexes.length; k++) {
        const bucket = vector.indexes[k]!;
        weights[bucket] = weights[bucket]! * (1 - rate * L2) - rate * gradient * vector.values[k]!;
      }
      bias -= rate * gradient;
    }
  }
  return { weights, bias };
}

/** Out-of-fold scores (log-odds of "current") for every row, from `folds`-fold cross-validation. */
export function outOfFoldScores(
  vectors: readonly SparseVector[],
  labels: readonly boolean[],
  options: { folds: number; random: Random },
): Float64Array {
  const fold = Array.from({ length: vectors.length }, (_, i) => i % options.folds);
  for (let i = fold.length - 1; i > 0; i--) {
    const j = Math.floor(options.random() * (i + 1));
    [fold[i], fold[j]] = [fold[j]!, fold[i]!];
  }
  const scores = new Float64Array(vectors.length);
  for (let f = 0; f < options.folds; f++) {
    const trainRows: number[] = [];
    for (let i = 0; i < vectors.length; i++) if (fold[i] !== f) trainRows.push(i);
    const model = train(vectors, labels, trainRows, options.random);
    for (let i = 0; i < vectors.length; i++)
      if (fold[i] === f) scores[i] = dot(vectors[i]!, model.weights) + model.bias;
  }
  return scores;
}
