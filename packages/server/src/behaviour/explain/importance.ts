/**
 * Feature importance over traffic: a small gradient-boosted model of stumps (one split per round:
 * a numeric threshold, or one categorical value against the rest) learns the target from span
 * properties on three quarters of the spans; on the held-out quarter each feature is shuffled
 * `repeats` times and the rise of the squared error is its importance, with a 95 % interval; the
 * partial dependence (the model's mean prediction with the feature set to each value) gives the
 * direction. Pure.
 */
import type { FeatureImportance, ImportanceFeature } from '@argus/shared';
import { type Random, seededRandom } from '../../quality/stats/random.ts';

/** A span's feature values (numbers, or strings for categorical features). */
export type Row = Partial<Record<ImportanceFeature, number | string>>;

interface Stump {
  feature: ImportanceFeature;
  /** Numeric: value ≤ threshold goes left; categorical: value === category goes left. */
  threshold?: number;
  category?: string;
  left: number;
  right: number;
}

/** A fitted model: a base value plus shrunk stumps. */
export interface BoostedModel {
  base: number;
  stumps: Stump[];
  rate: number;
}

const ROUNDS = 150;
const RATE = 0.1;
const MAX_THRESHOLDS = 16;
const MAX_CATEGORIES = 20;

const goesLeft = (s: Stump, v: number | string | undefined) =>
  s.category !== undefined ? v === s.category : typeof v === 'number' && v <= s.threshold!;

/** The model's prediction for one row. */
export function predict(model: BoostedModel, row: Row): number {
  let y = model.base;
  for (const s of model.stumps) y += model.rate * (goesLeft(s, row[s.feature]) ? s.left : s.right);
  return y;
}

function candidates(
  rows: readonly Row[],
  feature: ImportanceFeature,
): { thresholds: number[]; categories: string[] } {
  const values = rows.map((r) => r[feature]).filter((v) => v !== undefined);
  if (values.some((v) => typeof v === 'string')) {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    const categories = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_CATEGORIES)
      .map(([c]) => c);
    return { thresholds: [], categories };
  }
  const sorted = [...new Set(values as number[])].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(sorted.length / MAX_THRESHOLDS));
  return { thresholds: sorted.filter((_, i) => i % step === 0).slice(0, -1), categories: [] };
}

function bestStump(
  rows: readonly Row[],
  residuals: Float64Array,
  features: readonly ImportanceFeature[],
  splits: Map<ImportanceFeature, ReturnType<typeof candidates>>,
): Stump | undefined {
  let best: { gain: number; stump: Stump } | undefined;
  const total = residuals.reduce((s, v) => s + v, 0);
  for (const feature of features) {
    const { thresholds, categories } = splits.get(feature)!;
    const tries: Omit<Stump, 'left' | 'right'>[] = [
      ...thresholds.map((threshold) => ({ feature, threshold })),
      ...categories.map((category) => ({ feature, category })),
    ];
    for (const t of tries) {
      let sumLeft = 0;
      let nLeft = 0;
      rows.forEach((r, i) => {
        if (goesLeft(t as Stump, r[feature])) {
          sumLeft += residuals[i]!;
          nLeft++;
        }
      });
      const nRight = rows.length - nLeft;
      if (nLeft === 0 || nRight === 0) continue;
      const sumRight = total - sumLeft;
      const gain = (sumLeft * sumLeft) / nLeft + (sumRight * sumRight) / nRight;
      if (!best || gain > best.gain)
        best = { gain, stump: { ...t, left: sumLeft / nLeft, right: sumRight / nRight } };
    }
  }
  return best?.stump;
}

/** Fits the boosted stumps to `targets`. */
export function fitBoosted(
  rows: readonly Row[],
  targets: readonly number[],
  features: readonly ImportanceFeature[],
): BoostedModel {
  const base = targets.reduce((s, v) => s + v, 0) / Math.max(1, targets.length);
  const model: BoostedModel = { base, stumps: [], rate: RATE };
  const splits = new Map(features.map((f) => [f, candidates(rows, f)] as const));
  const predictions = new Float64Array(rows.length).fill(base);
  for (let round = 0; round < ROUNDS; round++) {
    const residuals = Float64Array.from(targets, (t, i) => t - predictions[i]!);
    const stump = bestStump(rows, residuals, features, splits);
    if (!stump) break;
    model.stumps.push(stump);
    rows.forEach((r, i) => {
      predictions[i]! += RATE * (goesLeft(stump, r[stump.feature]) ? stump.left : stump.right);
    });
  }
  return model;
}

const mse = (model: BoostedModel, rows: readonly Row[], targets: readonly number[]) =>
  rows.reduce((s, r, i) => s + (predict(model, r) - targets[i]!) ** 2, 0) / Math.max(1, rows.length);

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function partialDependence(model: BoostedModel, rows: readonly Row[], feature: ImportanceFeature) {
  const { thresholds, categories } = candidates(rows, feature);
  const numeric = rows.map((r) => r[feature]).filter((v): v is number => typeof v === 'number');
  const grid: (number | string)[] =
    categories.length > 0
      ? categories.slice(0, 10)
      : [...new Set([...thresholds, Math.max(...numeric)])].filter(Number.isFinite).slice(0, 12);
  return grid.map((value) => ({
    value,
    prediction: Number(
      (rows.reduce((s, r) => s + predict(model, { ...r, [feature]: value }), 0) / rows.length).toFixed(6),
    ),
  }));
}

function directionOf(
  points: { value: number | string; prediction: number }[],
  spread: number,
): FeatureImportance['direction'] {
  if (points.length < 2) return 'none';
  const ys = points.map((p) => p.prediction);
  const range = Math.max(...ys) - Math.min(...ys);
  if (range <= 1e-9 + 0.01 * spread) return 'none';
  if (typeof points[0]!.value === 'string') return 'mixed';
  const steps = ys.slice(1).map((y, i) => y - ys[i]!);
  if (steps.every((d) => d >= -1e-9)) return 'up';
  if (steps.every((d) => d <= 1e-9)) return 'down';
  return ys.at(-1)! - ys[0]! > 0.5 * range ? 'up' : ys[0]! - ys.at(-1)! > 0.5 * range ? 'down' : 'mixed';
}

/** The permutation importance of every feature, most important first, and the held-out R². */
export function permutationImportance(
  rows: readonly Row[],
  targets: readonly number[],
  features: readonly ImportanceFeature[],
  options: { repeats: number; seed: number },
): { r2: number; features: FeatureImportance[] } {
  const random = seededRandom(options.seed);
  const order = shuffle(
    rows.map((_, i) => i),
    random,
  );
  const held = Math.max(1, Math.floor(rows.length / 4));
  const test = order.slice(0, held);
  const train = order.slice(held);
  const model = fitBoosted(
    train.map((i) => rows[i]!),
    train.map((i) => targets[i]!),
    features,
  );
  const testRows = test.map((i) => rows[i]!);
  const testTargets = test.map((i) => targets[i]!);
  const baseline = mse(model, testRows, testTargets);
  const mean = testTargets.reduce((s, v) => s + v, 0) / testTargets.length;
  const variance = testTargets.reduce((s, v) => s + (v - mean) ** 2, 0) / testTargets.length;
  const spread = Math.sqrt(variance);
  const results = features.map((feature) => {
    const rises = Array.from({ length: options.repeats }, () => {
      const values = shuffle(
        testRows.map((r) => r[feature]),
        random,
      );
      return (
        mse(
          model,
          testRows.map((r, i) => ({ ...r, [feature]: values[i] })),
          testTargets,
        ) - baseline
      );
    });
    const m = rises.reduce((s, v) => s + v, 0) / rises.length;
    const sd = Math.sqrt(rises.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, rises.length - 1));
    const half = (1.96 * sd) / Math.sqrt(rises.length);
    const pd = partialDependence(model, testRows, feature);
    return {
      feature,
      importance: Number(m.toPrecision(6)),
      low: Number((m - half).toPrecision(6)),
      high: Number((m + half).toPrecision(6)),
      direction: directionOf(pd, spread),
      significant: m - half > 0,
      partialDependence: pd,
    };
  });
  return {
    r2: Number((variance > 0 ? 1 - baseline / variance : 0).toFixed(4)),
    features: results.sort((a, b) => b.importance - a.importance),
  };
}
