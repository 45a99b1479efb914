/**
 * A small exact t-SNE (van der Maaten and Hinton, 2008) for the drift projection: Gaussian
 * affinities with a per-point bandwidth found by bisection to a target perplexity, a Student-t
 * map, early exaggeration and momentum gradient descent. O(n²) per iteration, meant for a few
 * hundred sampled points after PCA; it keeps local neighbourhoods (the clusters the view shows),
 * which a linear 2-D PCA blurs.
 */
import type { Random } from '../../../quality/stats/random.ts';

/** Options of {@link tsne}. */
export interface TsneOptions {
  perplexity?: number;
  iterations?: number;
  random: Random;
}

function squaredDistances(points: readonly (readonly number[])[]): Float64Array {
  const n = points.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let sum = 0;
      const a = points[i]!;
      const b = points[j]!;
      for (let k = 0; k < a.length; k++) sum += (a[k]! - b[k]!) ** 2;
      d[i * n + j] = sum;
      d[j * n + i] = sum;
    }
  return d;
}

/** Symmetric joint probabilities P with each row's entropy matched to log(perplexity). */
function affinities(distances: Float64Array, n: number, perplexity: number): Float64Array {
  const p = new Float64Array(n * n);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    let low = 0;
    let high = Number.POSITIVE_INFINITY;
    let beta = 1;
    for (let attempt = 0; attempt < 50; attempt++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const v = Math.exp(-distances[i * n + j]! * beta);
        p[i * n + j] = v;
        sum += v;
        weighted += distances[i * n + j]! * v;
      }
      sum ||= 1e-12;
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      for (let j = 0; j < n; j++) p[i * n + j]! /= sum;
      if (Math.abs(entropy - target) < 1e-5) break;
      if (entropy > target) {
        low = beta;
        beta = high === Number.POSITIVE_INFINITY ? beta * 2 : (beta + high) / 2;
      } else {
        high = beta;
        beta = (beta + low) / 2;
      }
    }
  }
  const joint = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) joint[i * n + j] = Math.max((p[i * n + j]! + p[j * n + i]!) / (2 * n), 1e-12);
  return joint;
}

/** 2-D t-SNE coordinates of `points`, scaled into [−1, 1]. */
export function tsne(points: readonly (readonly number[])[], options: TsneOptions): [number, number][] {
  const n = points.length;
  if (n < 4) return points.map((_, i) => [i / Math.max(1, n - 1), 0]);
  const perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3);
  const p = affinities(squaredDistances(points), n, perplexity);
  const y = Array.from({ length: n }, () => [
    (options.random() - 0.5) * 1e-2,
    (options.random() - 0.5) * 1e-2,
  ]);
  const velocity = Array.from({ length: n }, () => [0, 0]);
  const q = new Float64Array(n * n);
  const iterations = options.iterations ?? 300;
  // The learning rate grows with the number of points (n / 12, Belkina et al. 2019).
  const rate = Math.max(10, n / 12);
  for (let it = 0; it < iterations; it++) {
    const exaggeration = it < 80 ? 12 : 1;
    const momentum = it < 80 ? 0.5 : 0.8;
    let sumQ = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const v = 1 / (1 + (y[i]![0]! - y[j]![0]!) ** 2 + (y[i]![1]! - y[j]![1]!) ** 2);
        q[i * n + j] = v;
        q[j * n + i] = v;
        sumQ += 2 * v;
      }
    for (let i = 0; i < n; i++) {
      let gx = 0;
      let gy = 0;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const w = q[i * n + j]!;
        const force = (exaggeration * p[i * n + j]! - w / sumQ) * w;
        gx += 4 * force * (y[i]![0]! - y[j]![0]!);
        gy += 4 * force * (y[i]![1]! - y[j]![1]!);
      }
      velocity[i]![0] = momentum * velocity[i]![0]! - rate * gx;
      velocity[i]![1] = momentum * velocity[i]![1]! - rate * gy;
    }
    for (let i = 0; i < n; i++) {
      y[i]![0]! += velocity[i]![0]!;
      y[i]![1]! += velocity[i]![1]!;
    }
  }
  const scale = Math.max(...y.map(([a, b]) => Math.max(Math.abs(a!), Math.abs(b!)))) || 1;
  return y.map(([a, b]) => [Number((a! / scale).toFixed(4)), Number((b! / scale).toFixed(4))]);
}
