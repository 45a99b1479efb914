/**
 * Embedding drift between two samples of unit vectors: the distance between their centroids and
 * the maximum mean discrepancy (unbiased MMD², Gaussian kernel with the median-distance
 * bandwidth), each against its own permutation threshold. Both come from one Gram matrix, so a
 * permutation costs O(n²) whatever the dimension. Each test decides at α = 0.025 so the pair
 * keeps a 5 % false-positive rate.
 */
import type { Random } from '../../../quality/stats/random.ts';

export const EMBEDDING_PERMUTATIONS = 200;
/** Each of the two tests decides at this level (Bonferroni for two tests at 0.05). */
export const EMBEDDING_ALPHA = 0.025;
export const MIN_VECTORS = 10;

/** One permutation-tested distance. */
export interface PermutationTest {
  statistic: number;
  threshold: number;
  pValue: number;
  drifted: boolean;
}

/** The outcome of an embedding drift comparison. */
export interface EmbeddingDrift {
  centroid: PermutationTest;
  mmd: PermutationTest;
  drifted: boolean;
}

/** The Gram matrix (dot products) of `vectors`, row-major. */
export function gramMatrix(vectors: readonly (readonly number[])[]): Float64Array {
  const n = vectors.length;
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = vectors[i]!;
    for (let j = i; j < n; j++) {
      const b = vectors[j]!;
      let sum = 0;
      for (let k = 0; k < a.length; k++) sum += a[k]! * (b[k] ?? 0);
      gram[i * n + j] = sum;
      gram[j * n + i] = sum;
    }
  }
  return gram;
}

/** Gaussian kernel from a Gram matrix, bandwidth² = median squared distance. */
function gaussianKernel(gram: Float64Array, n: number): Float64Array {
  const distances: number[] = [];
  const squared = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = Math.max(0, gram[i * n + i]! + gram[j * n + j]! - 2 * gram[i * n + j]!);
      squared[i * n + j] = d;
      if (j > i && distances.length < 200_000) distances.push(d);
    }
  distances.sort((a, b) => a - b);
  const bandwidth = distances[Math.floor(distances.length / 2)] || 1;
  for (let k = 0; k < squared.length; k++) squared[k] = Math.exp(-squared[k]! / bandwidth);
  return squared;
}

/** Sums of a matrix over (A,A), (B,B), (A,B) blocks for the membership `inB`, and their diagonals. */
function blockSums(matrix: Float64Array, inB: readonly boolean[]) {
  const n = inB.length;
  let aa = 0;
  let bb = 0;
  let ab = 0;
  let diagA = 0;
  let diagB = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const bi = inB[i];
    if (bi) diagB += matrix[row + i]!;
    else diagA += matrix[row + i]!;
    for (let j = 0; j < n; j++) {
      const v = matrix[row + j]!;
      if (bi !== inB[j]) ab += v;
      else if (bi) bb += v;
      else aa += v;
    }
  }
  return { aa, bb, ab: ab / 2, diagA, diagB };
}

function centroidDistance(gram: Float64Array, inB: readonly boolean[], a: number, b: number): number {
  const s = blockSums(gram, inB);
  return Math.sqrt(Math.max(0, s.aa / (a * a) + s.bb / (b * b) - (2 * s.ab) / (a * b)));
}

function mmdSquared(kernel: Float64Array, inB: readonly boolean[], a: number, b: number): number {
  const s = blockSums(kernel, inB);
  return (s.aa - s.diagA) / (a * (a - 1)) + (s.bb - s.diagB) / (b * (b - 1)) - (2 * s.ab) / (a * b);
}

function permutationTest(
  observed: number,
  statistic: (inB: boolean[]) => number,
  labels: readonly boolean[],
  random: Random,
): PermutationTest {
  const shuffled = [...labels];
  const nulls: number[] = [];
  let atLeast = 0;
  for (let p = 0; p < EMBEDDING_PERMUTATIONS; p++) {
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const value = statistic(shuffled);
    nulls.push(value);
    if (value >= observed) atLeast++;
  }
  nulls.sort((x, y) => x - y);
  const threshold = nulls[Math.min(nulls.length - 1, Math.ceil((1 - EMBEDDING_ALPHA) * nulls.length) - 1)]!;
  const pValue = (atLeast + 1) / (EMBEDDING_PERMUTATIONS + 1);
  return { statistic: observed, threshold, pValue, drifted: pValue < EMBEDDING_ALPHA };
}

/** Compares two samples of vectors (callers check {@link MIN_VECTORS} on each side). */
export function embeddingDrift(
  reference: readonly (readonly number[])[],
  current: readonly (readonly number[])[],
  random: Random,
): EmbeddingDrift {
  const all = [...reference, ...current];
  const labels = all.map((_, i) => i >= reference.length);
  const a = reference.length;
  const b = current.length;
  const gram = gramMatrix(all);
  const kernel = gaussianKernel(gram, all.length);
  const centroid = permutationTest(
    centroidDistance(gram, labels, a, b),
    (inB) => centroidDistance(gram, inB, a, b),
    labels,
    random,
  );
  const mmd = permutationTest(
    mmdSquared(kernel, labels, a, b),
    (inB) => mmdSquared(kernel, inB, a, b),
    labels,
    random,
  );
  return { centroid, mmd, drifted: centroid.drifted || mmd.drifted };
}
