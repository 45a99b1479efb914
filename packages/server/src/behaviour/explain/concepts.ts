/**
 * Concept activation vectors over embeddings: an L2-regularised logistic regression (full-batch
 * gradient descent, classes weighed equally) separates concept examples from negatives; its
 * weight vector is the concept's direction and its probability is a text's score. Accuracy is
 * measured on a stratified held-out quarter before the final model learns from every example, so
 * a user can tell whether the concept is learnable from these examples at all. Pure.
 */
import { ArgusError } from '../../errors.ts';
import { type Random, seededRandom } from '../../quality/stats/random.ts';

/** A learned direction. */
export interface ConceptModel {
  weights: number[];
  bias: number;
}

const ITERATIONS = 400;
const LEARNING_RATE = 1;
const L2 = 1e-3;
/** Share of each class held out to measure accuracy. */
const HELD_OUT_SHARE = 0.25;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) s += a[i]! * b[i]!;
  return s;
};

/** Trains on vectors with labels (true = concept). */
export function trainLogistic(
  vectors: readonly (readonly number[])[],
  labels: readonly boolean[],
): ConceptModel {
  const dimensions = vectors[0]?.length ?? 0;
  const weights = new Float64Array(dimensions);
  let bias = 0;
  const positives = labels.filter(Boolean).length;
  const weightOf = (label: boolean) =>
    label ? labels.length / (2 * positives) : labels.length / (2 * (labels.length - positives));
  for (let step = 0; step < ITERATIONS; step++) {
    const gradient = new Float64Array(dimensions);
    let biasGradient = 0;
    vectors.forEach((x, i) => {
      const label = labels[i]!;
      const error = (sigmoid(dot(x, weights) + bias) - (label ? 1 : 0)) * weightOf(label);
      for (let k = 0; k < dimensions; k++) gradient[k]! += error * x[k]!;
      biasGradient += error;
    });
    for (let k = 0; k < dimensions; k++)
      weights[k]! -= LEARNING_RATE * (gradient[k]! / vectors.length + L2 * weights[k]!);
    bias -= (LEARNING_RATE * biasGradient) / vectors.length;
  }
  return { weights: Array.from(weights), bias };
}

/** The concept score (probability) of a vector. */
export function conceptScore(model: ConceptModel, vector: readonly number[]): number {
  return sigmoid(dot(model.weights, vector) + model.bias);
}

function shuffled(n: number, random: Random): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** A learned concept with its held-out accuracy. */
export interface LearnedConcept {
  model: ConceptModel;
  accuracy: number;
  trainCount: number;
  heldOutCount: number;
}

/**
 * Learns a concept from positive and negative vectors.
 * @throws ArgusError INVALID_PARAMETER with fewer than 2 examples on a side.
 */
export function learnConcept(positives: number[][], negatives: number[][], seed = 1): LearnedConcept {
  if (positives.length < 2 || negatives.length < 2)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid field '${positives.length < 2 ? 'positives' : 'negatives'}': a concept needs at least 2 examples on each side (got ${positives.length} positives, ${negatives.length} negatives)`,
    );
  const random = seededRandom(seed);
  const split = (vectors: number[][]) => {
    const order = shuffled(vectors.length, random);
    const held = Math.max(1, Math.round(vectors.length * HELD_OUT_SHARE));
    return {
      train: order.slice(held).map((i) => vectors[i]!),
      test: order.slice(0, held).map((i) => vectors[i]!),
    };
  };
  const p = split(positives);
  const n = split(negatives);
  const trial = trainLogistic(
    [...p.train, ...n.train],
    [...p.train.map(() => true), ...n.train.map(() => false)],
  );
  const correct =
    p.test.filter((v) => conceptScore(trial, v) >= 0.5).length +
    n.test.filter((v) => conceptScore(trial, v) < 0.5).length;
  const heldOutCount = p.test.length + n.test.length;
  return {
    model: trainLogistic(
      [...positives, ...negatives],
      [...positives.map(() => true), ...negatives.map(() => false)],
    ),
    accuracy: Number((correct / heldOutCount).toFixed(4)),
    trainCount: p.train.length + n.train.length,
    heldOutCount,
  };
}
