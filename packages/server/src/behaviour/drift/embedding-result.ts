/**
 * Embedding drift of a text feature: embeds a sample of each side (a connection's embedding
 * model, or the weight-free featuriser), tests centroid distance and MMD, and projects a
 * smaller sample to 2-D (PCA to 10 dimensions, then t-SNE) with k-means clusters ranked by how
 * much they grew from the reference to the current window.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DriftCluster, DriftFeatureName, DriftFeatureResult, DriftPoint } from '@argus/shared';
import { type Random, seededRandom } from '../../quality/stats/random.ts';
import { type Side, skipped } from './results.ts';
import { EMBEDDING_ALPHA, embeddingDrift, MIN_VECTORS } from './stats/embedding.ts';
import { featurise, normalise } from './stats/featurise.ts';
import { kMeans } from './stats/kmeans.ts';
import { pcaProject } from './stats/pca.ts';
import { wordsOf } from './stats/tokens.ts';
import { tsne } from './stats/tsne.ts';
import { characteristicWords } from './stats/words.ts';

/** Texts embedded per side (the tests are O(n²)). */
export const EMBEDDING_SAMPLE = 300;
/** Points projected per side. */
export const PROJECTION_SAMPLE = 150;
const CLUSTERS = 6;

/** Embeds texts; `model` names the embedding model when a connection did it. */
export type Embedder = (texts: string[]) => Promise<{ vectors: number[][]; model?: string }>;

/** The featuriser as an embedder. */
export const featuriserEmbedder: Embedder = async (texts) => ({ vectors: texts.map(featurise) });

function take<T>(side: Side<T>, n: number, random: Random): Side<T> {
  const indexes = side.values.map((_, i) => i);
  for (let i = indexes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  const kept = indexes.slice(0, n).sort((a, b) => a - b);
  return {
    values: kept.map((i) => side.values[i]!),
    ...(side.refs ? { refs: kept.map((i) => side.refs![i]) } : {}),
  };
}

function clustersOf(
  assignment: number[],
  labels: boolean[],
  texts: string[],
  counts: [number, number],
): DriftCluster[] {
  const ids = [...new Set(assignment)];
  return ids
    .map((id) => {
      const members = assignment.map((c, i) => (c === id ? i : -1)).filter((i) => i >= 0);
      const inCurrent = members.filter((i) => labels[i]).length;
      const referenceShare = (members.length - inCurrent) / counts[0];
      const currentShare = inCurrent / counts[1];
      const inside = members.map((i) => wordsOf(texts[i]!));
      const outside = texts.filter((_, i) => assignment[i] !== id).map(wordsOf);
      return {
        id,
        size: members.length,
        referenceShare: Number(referenceShare.toFixed(4)),
        currentShare: Number(currentShare.toFixed(4)),
        growth: Number((currentShare - referenceShare).toFixed(4)),
        words: characteristicWords(outside, inside, 5).current.map((w) => w.word),
      };
    })
    .sort((a, b) => b.growth - a.growth);
}

/** The embedding verdict of a textual feature. */
export async function embeddingResult(
  feature: DriftFeatureName,
  reference: Side<string>,
  current: Side<string>,
  options: { embed?: Embedder; seed?: number },
): Promise<DriftFeatureResult> {
  const counts: [number, number] = [reference.values.length, current.values.length];
  if (counts[0] < MIN_VECTORS || counts[1] < MIN_VECTORS)
    return skipped(
      feature,
      'embedding',
      counts,
      `too few texts to compare: ${counts[0]} in the reference and ${counts[1]} in the current window; at least ${MIN_VECTORS} on each side`,
    );
  const random = seededRandom(options.seed);
  const r = take(reference, EMBEDDING_SAMPLE, random);
  const c = take(current, EMBEDDING_SAMPLE, random);
  const embed = options.embed ?? featuriserEmbedder;
  const embedded = await embed([...r.values, ...c.values]);
  const vectors = embedded.vectors.map(normalise);
  const test = embeddingDrift(vectors.slice(0, r.values.length), vectors.slice(r.values.length), random);
  await nextTurn();
  // The projection: a smaller sample of the embedded points.
  const pick = (from: number, n: number) =>
    Array.from({ length: n }, (_, k) => from + k).slice(0, PROJECTION_SAMPLE);
  const chosen = [...pick(0, r.values.length), ...pick(r.values.length, c.values.length)];
  const reduced = pcaProject(
    chosen.map((i) => vectors[i]!),
    10,
    random,
  );
  const labels = chosen.map((i) => i >= r.values.length);
  await nextTurn();
  const map = tsne(reduced, { random });
  await nextTurn();
  const assignment = kMeans(reduced, CLUSTERS, random);
  const refOf = (i: number) => (i < r.values.length ? r.refs?.[i] : c.refs?.[i - r.values.length]);
  const textOf = (i: number) => (i < r.values.length ? r.values[i]! : c.values[i - r.values.length]!);
  const points: DriftPoint[] = chosen.map((i, k) => ({
    x: map[k]![0],
    y: map[k]![1],
    window: labels[k] ? 'current' : 'reference',
    cluster: assignment[k]!,
    ...(refOf(i) ?? {}),
  }));
  const projected: [number, number] = [labels.filter((l) => !l).length, labels.filter(Boolean).length];
  const round = (t: typeof test.mmd) => ({
    statistic: Number(t.statistic.toFixed(6)),
    threshold: Number(t.threshold.toFixed(6)),
    pValue: Number(t.pValue.toFixed(4)),
    drifted: t.drifted,
  });
  return {
    feature,
    kind: 'embedding',
    test: 'embedding-distance',
    statistic: round(test.mmd).statistic,
    pValue: Math.min(test.mmd.pValue, test.centroid.pValue),
    threshold: EMBEDDING_ALPHA,
    drifted: test.drifted,
    referenceCount: r.values.length,
    currentCount: c.values.length,
    embedding: {
      source: embedded.model ? 'connection' : 'featuriser',
      ...(embedded.model ? { model: embedded.model } : {}),
      centroid: round(test.centroid),
      mmd: round(test.mmd),
      projection: { method: 'pca-tsne', points },
      clusters: clustersOf(assignment, labels, chosen.map(textOf), projected),
    },
  };
}
