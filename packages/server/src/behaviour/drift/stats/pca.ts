/**
 * Principal components by power iteration with deflation: the top `k` directions of centred
 * vectors, computed through X·v and Xᵀ·(X·v) so the d × d covariance is never built.
 */
import type { Random } from '../../../quality/stats/random.ts';

const ITERATIONS = 60;

/** Coordinates of each vector on the top `k` principal components. */
export function pcaProject(vectors: readonly (readonly number[])[], k: number, random: Random): number[][] {
  const n = vectors.length;
  const d = vectors[0]?.length ?? 0;
  if (n === 0 || d === 0) return vectors.map(() => new Array<number>(k).fill(0));
  const mean = new Float64Array(d);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j]! += (v[j] ?? 0) / n;
  const x = vectors.map((v) => Float64Array.from({ length: d }, (_, j) => (v[j] ?? 0) - mean[j]!));
  const components: Float64Array[] = [];
  for (let c = 0; c < Math.min(k, d); c++) {
    let v = Float64Array.from({ length: d }, () => random() - 0.5);
    for (let it = 0; it < ITERATIONS; it++) {
      const xv = x.map((row) => row.reduce((s, value, j) => s + value * v[j]!, 0));
      const next = new Float64Array(d);
      x.forEach((row, i) => {
        for (let j = 0; j < d; j++) next[j]! += row[j]! * xv[i]!;
      });
      // Deflation: remove the directions already found.
      for (const u of components) {
        const overlap = next.reduce((s, value, j) => s + value * u[j]!, 0);
        for (let j = 0; j < d; j++) next[j]! -= overlap * u[j]!;
      }
      const norm = Math.sqrt(next.reduce((s, value) => s + value * value, 0));
      if (norm < 1e-12) break;
      v = next.map((value) => value / norm);
    }
    components.push(v);
  }
  return x.map((row) => {
    const coords = components.map((u) => row.reduce((s, value, j) => s + value * u[j]!, 0));
    while (coords.length < k) coords.push(0);
    return coords;
  });
}
