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

/** A symmetric n × n matrix with its row sums, total and diagonal, for block sums by membership. */
interface Blocks {
  matrix: Float64Array;
  n: number;
  rowSums: Float64Array;
  total: number;
  trace: number;
}

function blocksOf(matrix: Float64Array, n: number): Blocks {
  const rowSums = new Float64Array(n);
  let total = 0;
  let trace = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += matrix[i * n + j]!;
    rowSums[i] = sum;
    total += sum;
    trace += matrix[i * n + i]!;
  }
  return { matrix, n, rowSums, total, trace };
}

/**
 * Sums over the (A,A), (B,B) and (A,B) blocks when `members` (indexes) form B: only the B × B
 * block is summed; the rest follows from the row sums and the total.
 */
function blockSums(blocks: Blocks, members: Int32Array) {
  const { matrix, n, rowSums } = blocks;
  let bb = 0;
  let rowsB = 0;
  let diagB = 0;
  for (let a = 0; a < members.length; a++) {
    const i = members[a]!;
    const row = i * n;
    rowsB += rowSums[i]!;
    diagB += matrix[row + i]!;
    for (let b = 0; b < members.length; b++) bb += matrix[row + members[b]!]!;
  }
  const ab = rowsB - bb;
  return { aa: blocks.total - 2 * ab - bb, bb, ab, diagA: blocks.trace - diagB, diagB };
}

function centroidDistance(blocks: Blocks, members: Int32Array, a: number, b: number): number {
  const s = blockSums(blocks, members);
  return Math.sqrt(Math.max(0, s.aa / (a * a) + s.bb / (b * b) - (2 * s.ab) / (a * b)));
}

function mmdSquared(blocks: Blocks, members: Int32Array, a: number, b: number): number {
  const s = blockSums(blocks, members);
  return (s.aa - s.diagA) / (a * (a - 1)) + (s.bb - s.diagB) / (b * (b - 1)) - (2 * s.ab) / (a * b);
}

function permutationTest(
  observed: number,
  statistic: (members: Int32Array) => number,
  n: number,
  b: number,
  random: Random,
): PermutationTest {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const nulls: number[] = [];
  let atLeast = 0;
  for (let p = 0; p < EMBEDDING_PERMUTATIONS; p++) {
    // A partial Fisher–Yates shuffle: the first b positions are a uniform random B.
    for (let i = 0; i < b; i++) {
      const j = i + Math.floor(random() * (n - i));
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
    const value = statistic(order.subarray(0, b));
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
  const a = reference.length;
  const b = current.length;
  const n = all.length;
  const gram = gramMatrix(all);
  const linear = blocksOf(gram, n);
  const kernel = blocksOf(gaussianKernel(gram, n), n);
  const currentMembers = Int32Array.from({ length: b }, (_, k) => a + k);
  const centroid = permutationTest(
    centroidDistance(linear, currentMembers, a, b),
    (members) => centroidDistance(linear, members, a, b),
    n,
    b,
    random,
  );
  const mmd = permutationTest(
    mmdSquared(kernel, currentMembers, a, b),
    (members) => mmdSquared(kernel, members, a, b),
    n,
    b,
    random,
  );
  return { centroid, mmd, drifted: centroid.drifted || mmd.drifted };
}
