/**
 * k-means with k-means++ seeding (Arthur and Vassilvitskii, 2007), for grouping sampled points
 * into clusters whose share in each window can be compared.
 */
import type { Random } from '../../../quality/stats/random.ts';

const ITERATIONS = 40;

function distance2(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += (a[k]! - (b[k] ?? 0)) ** 2;
  return sum;
}

/** The cluster index of each point. */
export function kMeans(points: readonly (readonly number[])[], k: number, random: Random): number[] {
  const n = points.length;
  if (n === 0) return [];
  const clusters = Math.max(1, Math.min(k, n));
  const centres: number[][] = [[...points[Math.floor(random() * n)]!]];
  const nearest = points.map((p) => distance2(p, centres[0]!));
  while (centres.length < clusters) {
    const total = nearest.reduce((s, v) => s + v, 0);
    let pick = random() * total;
    let index = 0;
    while (index < n - 1 && pick > nearest[index]!) pick -= nearest[index++]!;
    centres.push([...points[index]!]);
    points.forEach((p, i) => {
      nearest[i] = Math.min(nearest[i]!, distance2(p, centres.at(-1)!));
    });
  }
  const assignment = new Array<number>(n).fill(0);
  for (let it = 0; it < ITERATIONS; it++) {
    let moved = false;
    points.forEach((p, i) => {
      let best = 0;
      for (let c = 1; c < centres.length; c++)
        if (distance2(p, centres[c]!) < distance2(p, centres[best]!)) best = c;
      if (assignment[i] !== best) moved = true;
      assignment[i] = best;
    });
    if (!moved && it > 0) break;
    centres.forEach((centre, c) => {
      const members = points.filter((_, i) => assignment[i] === c);
      if (members.length === 0) return;
      for (let d = 0; d < centre.length; d++)
        centre[d] = members.reduce((s, m) => s + m[d]!, 0) / members.length;
    });
  }
  return assignment;
}
