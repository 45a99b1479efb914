/**
 * Principal components by power iteration with deflation: the top `k` directions of centred
 * vectors, computed through X·v and Xᵀ·(X·v) so the d × d covariance is never built.
 */
import type { Random } from '../../../quality/stats/random.ts';

const ITERATIONS = 40;

/** Coordinates of each vector on the top `k` principal components. */
export function pcaProject(vectors: readonly (readonly number[])[], k: number, random: Random): number[][] {
  const n = vectors.length;
  const d = vectors[0]?.length ?? 0;
  if (n === 0 || d === 0) return vectors.map(() => new Array<number>(k).fill(0));
  // Centred rows in one flat array.
  const x = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j]! += (v[j] ?? 0) / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (vectors[i]![j] ?? 0) - mean[j]!;
  const components: Float64Array[] = [];
  const xv = new Float64Array(n);
  for (let c = 0; c < Math.min(k, d); c++) {
    let v = Float64Array.from({ length: d }, () => random() - 0.5);
    for (let it = 0; it < ITERATIONS; it++) {
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < d; j++) sum += x[i * d + j]! * v[j]!;
        xv[i] = sum;
      }
      const next = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const w = xv[i]!;
        for (let j = 0; j < d; j++) next[j]! += x[i * d + j]! * w;
      }
      // Deflation: remove the directions already found.
      for (const u of components) {
        let overlap = 0;
        for (let j = 0; j < d; j++) overlap += next[j]! * u[j]!;
        for (let j = 0; j < d; j++) next[j]! -= overlap * u[j]!;
      }
      let norm = 0;
      for (let j = 0; j < d; j++) norm += next[j]! * next[j]!;
      norm = Math.sqrt(norm);
      if (norm < 1e-12) break;
      for (let j = 0; j < d; j++) next[j]! /= norm;
      v = next;
    }
    components.push(v);
  }
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const coords = new Array<number>(k).fill(0);
    components.forEach((u, c) => {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += x[i * d + j]! * u[j]!;
      coords[c] = sum;
    });
    out.push(coords);
  }
  return out;
}
