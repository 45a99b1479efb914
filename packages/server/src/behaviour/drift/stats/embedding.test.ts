import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../quality/stats/random.ts';
import { embeddingDrift } from './embedding.ts';
import { featurise, normalise } from './featurise.ts';
import { kMeans } from './kmeans.ts';
import { pcaProject } from './pca.ts';
import { tsne } from './tsne.ts';

function blob(random: () => number, centre: number[], n: number, spread = 0.3): number[][] {
  return Array.from({ length: n }, () => normalise(centre.map((c) => c + (random() - 0.5) * spread)));
}

describe('embedding drift', () => {
  it('flags a moved cloud and not a resample of the same one', () => {
    const random = seededRandom(3);
    const a = [1, 0, 0, 0, 0, 0, 0, 0];
    const b = [0.6, 0.8, 0, 0, 0, 0, 0, 0];
    const moved = embeddingDrift(blob(random, a, 60), blob(random, b, 60), random);
    expect(moved.drifted).toBe(true);
    expect(moved.mmd.statistic).toBeGreaterThan(moved.mmd.threshold);
    const same = embeddingDrift(blob(random, a, 60), blob(random, a, 60), random);
    expect(same.centroid.drifted).toBe(false);
    expect(same.mmd.drifted).toBe(false);
  });

  // Hand-computed: the centroids of {e1} and {e2} are √2 apart.
  it('centroid distance by hand', () => {
    const random = seededRandom(1);
    const e1 = [1, 0];
    const e2 = [0, 1];
    const result = embeddingDrift(Array(10).fill(e1), Array(10).fill(e2), random);
    expect(result.centroid.statistic).toBeCloseTo(Math.SQRT2, 10);
  });

  it('the featuriser gives unit vectors, closer for texts sharing words', () => {
    const a = featurise('book a flight to Paris');
    const b = featurise('book a cheap flight to Rome');
    const c = featurise('simmer the tomato sauce slowly');
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a, a)).toBeCloseTo(1, 10);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c));
  });

  it('PCA, t-SNE and k-means keep two separated groups apart', () => {
    const random = seededRandom(5);
    const points = [...blob(random, [1, 0, 0, 0], 30, 0.1), ...blob(random, [0, 0, 1, 0], 30, 0.1)];
    const reduced = pcaProject(points, 3, random);
    const clusters = kMeans(reduced, 2, random);
    expect(new Set(clusters.slice(0, 30)).size).toBe(1);
    expect(new Set(clusters.slice(30)).size).toBe(1);
    expect(clusters[0]).not.toBe(clusters[30]);
    const map = tsne(reduced, { random, iterations: 200 });
    const centre = (from: number) =>
      [0, 1].map((d) => map.slice(from, from + 30).reduce((s, p) => s + p[d]!, 0) / 30);
    const spread = (from: number, c: number[]) =>
      Math.max(...map.slice(from, from + 30).map((p) => Math.hypot(p[0]! - c[0]!, p[1]! - c[1]!)));
    const [ca, cb] = [centre(0), centre(30)];
    const gap = Math.hypot(ca[0]! - cb[0]!, ca[1]! - cb[1]!);
    expect(gap).toBeGreaterThan(spread(0, ca) + spread(30, cb));
  });
});
