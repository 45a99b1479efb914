/**
 * The domain classifier behind text drift: L2-regularised logistic regression trained by SGD on
 * hashed TF-IDF vectors to tell the current window from the reference, scored on a held-out
 * half, so its ROC AUC measures how separable the two samples are.
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

/**
 * Trains on a stratified half of the rows and scores every row with that model; `testRows` are
 * the other half. Only the held-out scores measure separability: their labels played no part in
 * the model, so shuffling them is an exact null. (Pooling k-fold scores reuses each label in the
 * other folds' models; with repeated texts that doubles chance agreements and inflated the
 * false-positive rate to ~14 % at 300 texts a side.)
 */
export function heldOutScores(
  vectors: readonly SparseVector[],
  labels: readonly boolean[],
  random: Random,
): { scores: Float64Array; testRows: number[] } {
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (const side of [true, false]) {
    const rows = labels.map((l, i) => (l === side ? i : -1)).filter((i) => i >= 0);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const half = Math.floor(rows.length / 2);
    trainRows.push(...rows.slice(0, half));
    testRows.push(...rows.slice(half));
  }
  const model = train(vectors, labels, trainRows, random);
  const scores = Float64Array.from(vectors, (vector) => dot(vector, model.weights) + model.bias);
  return { scores, testRows: testRows.sort((a, b) => a - b) };
}
