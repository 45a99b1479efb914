/**
 * One feature's values from two windows → its verdict, as the API answers it (numeric,
 * categorical and text features; embeddings are in embedding-result.ts).
 */
import type { DriftFeatureName, DriftFeatureResult, DriftSpanRef, DriftTest } from '@argus/shared';
import { mean, quantile } from '../../quality/stats/describe.ts';
import { categoricalDrift, countValues } from './stats/categorical.ts';
import { numericDrift } from './stats/numeric.ts';
import { MIN_TEXTS, textDrift } from './stats/text.ts';

/** Fewest values on each side for a numeric or categorical verdict. */
export const MIN_VALUES = 10;
const TOP_CATEGORIES = 20;

/** A side of a comparison: values and the spans they came from (absent for dataset items). */
export interface Side<T> {
  values: T[];
  refs?: ({ traceId: string; spanId: string } | undefined)[];
}

/** A verdict-less result saying why. */
export function skipped(
  feature: DriftFeatureName,
  kind: DriftFeatureResult['kind'],
  counts: [number, number],
  reason: string,
): DriftFeatureResult {
  return {
    feature,
    kind,
    drifted: false,
    referenceCount: counts[0],
    currentCount: counts[1],
    skipped: reason,
  };
}

const round = (value: number, digits = 6) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : 0);

function tooFew(reference: number, current: number, least: number): string | undefined {
  if (reference >= least && current >= least) return undefined;
  return `too few values to compare: ${reference} in the reference and ${current} in the current window; at least ${least} on each side`;
}

function summaryOf(values: number[]) {
  return { mean: round(mean(values)), p50: round(quantile(values, 0.5)), p95: round(quantile(values, 0.95)) };
}

/** The fields every verdict has: the test, its statistic against its threshold, the counts. */
function verdictOf(
  feature: DriftFeatureName,
  kind: DriftFeatureResult['kind'],
  test: { test: DriftTest; statistic: number; pValue?: number; threshold: number; drifted: boolean },
  counts: [number, number],
): DriftFeatureResult {
  return {
    feature,
    kind,
    test: test.test,
    statistic: round(test.statistic),
    ...(test.pValue === undefined ? {} : { pValue: round(test.pValue, 8) }),
    threshold: round(test.threshold),
    drifted: test.drifted,
    referenceCount: counts[0],
    currentCount: counts[1],
  };
}

/** Numeric verdict (KS or normalised Wasserstein, PSI beside). */
export function numericResult(
  feature: DriftFeatureName,
  reference: number[],
  current: number[],
): DriftFeatureResult {
  const counts: [number, number] = [reference.length, current.length];
  const reason = tooFew(reference.length, current.length, MIN_VALUES);
  if (reason) return skipped(feature, 'numeric', counts, reason);
  const test = numericDrift(reference, current);
  return {
    ...verdictOf(feature, 'numeric', test, counts),
    psi: round(test.psi),
    summary: { reference: summaryOf(reference), current: summaryOf(current) },
  };
}

/** Categorical verdict (chi-squared or Jensen–Shannon) with the top values' shares. */
export function categoricalResult(
  feature: DriftFeatureName,
  reference: string[],
  current: string[],
): DriftFeatureResult {
  const counts: [number, number] = [reference.length, current.length];
  const reason = tooFew(reference.length, current.length, MIN_VALUES);
  if (reason) return skipped(feature, 'categorical', counts, reason);
  const test = categoricalDrift(reference, current);
  const r = countValues(reference);
  const c = countValues(current);
  const categories = [...new Set([...r.keys(), ...c.keys()])]
    .map((value) => ({
      value,
      referenceShare: round((r.get(value) ?? 0) / reference.length, 4),
      currentShare: round((c.get(value) ?? 0) / current.length, 4),
    }))
    .sort((a, b) => b.referenceShare + b.currentShare - (a.referenceShare + a.currentShare))
    .slice(0, TOP_CATEGORIES);
  return { ...verdictOf(feature, 'categorical', test, counts), categories };
}

function exampleOf(side: Side<string>, index: number): DriftSpanRef | undefined {
  const ref = side.refs?.[index];
  const text = side.values[index] ?? '';
  return ref ? { ...ref, text } : undefined;
}

/** Text verdict (domain classifier) with characteristic words and typical examples. */
export function textResult(
  feature: DriftFeatureName,
  reference: Side<string>,
  current: Side<string>,
): DriftFeatureResult {
  const counts: [number, number] = [reference.values.length, current.values.length];
  const reason = tooFew(counts[0], counts[1], MIN_TEXTS);
  if (reason) return skipped(feature, 'text', counts, reason.replace('values', 'texts'));
  const test = textDrift(reference.values, current.values);
  const examples = (side: Side<string>, indexes: number[]) =>
    indexes.map((i) => exampleOf(side, i)).filter((e): e is DriftSpanRef => e !== undefined);
  return {
    ...verdictOf(feature, 'text', test, counts),
    words: test.words,
    examples: {
      reference: examples(reference, test.typical.reference),
      current: examples(current, test.typical.current),
    },
  };
}
