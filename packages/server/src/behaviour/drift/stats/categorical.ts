/**
 * Drift tests for categorical features (model, finish reason, tool, error type, status): the
 * chi-squared test of homogeneity for small references and the Jensen–Shannon distance for
 * large ones. Pure functions.
 */
import { chiSquaredSurvival } from './special.ts';

/** Reference size up to which chi-squared decides (above it, Jensen–Shannon). */
export const CHI_SQUARED_MAX_REFERENCE = 1_000;
export const CHI_SQUARED_ALPHA = 0.05;
/** Jensen–Shannon distance (base 2, 0–1) above which a large sample has drifted. */
export const JENSEN_SHANNON_THRESHOLD = 0.1;

/** The outcome of one categorical test. */
export interface CategoricalDrift {
  test: 'chi-squared' | 'jensen-shannon';
  statistic: number;
  pValue?: number;
  threshold: number;
  drifted: boolean;
}

/** Counts of each value. */
export function countValues(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function categoriesOf(a: Map<string, number>, b: Map<string, number>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])];
}

/** Chi-squared test of homogeneity of a 2 × k table; df = k − 1. */
export function chiSquared(
  reference: Map<string, number>,
  current: Map<string, number>,
): { statistic: number; df: number; pValue: number } {
  const categories = categoriesOf(reference, current);
  const n1 = [...reference.values()].reduce((s, v) => s + v, 0);
  const n2 = [...current.values()].reduce((s, v) => s + v, 0);
  if (categories.length < 2 || n1 === 0 || n2 === 0) return { statistic: 0, df: 0, pValue: 1 };
  const total = n1 + n2;
  let statistic = 0;
  for (const category of categories) {
    const r = reference.get(category) ?? 0;
    const c = current.get(category) ?? 0;
    const column = r + c;
    const expectedR = (n1 * column) / total;
    const expectedC = (n2 * column) / total;
    statistic += (r - expectedR) ** 2 / expectedR + (c - expectedC) ** 2 / expectedC;
  }
  const df = categories.length - 1;
  return { statistic, df, pValue: chiSquaredSurvival(statistic, df) };
}

/** Jensen–Shannon distance (square root of the divergence, log base 2): 0 same, 1 disjoint. */
export function jensenShannon(reference: Map<string, number>, current: Map<string, number>): number {
  const n1 = [...reference.values()].reduce((s, v) => s + v, 0);
  const n2 = [...current.values()].reduce((s, v) => s + v, 0);
  if (n1 === 0 || n2 === 0) return 0;
  let divergence = 0;
  for (const category of categoriesOf(reference, current)) {
    const p = (reference.get(category) ?? 0) / n1;
    const q = (current.get(category) ?? 0) / n2;
    const m = (p + q) / 2;
    if (p > 0) divergence += 0.5 * p * Math.log2(p / m);
    if (q > 0) divergence += 0.5 * q * Math.log2(q / m);
  }
  return Math.sqrt(Math.max(0, divergence));
}

/** The default categorical test for the sample sizes. */
export function categoricalDrift(reference: readonly string[], current: readonly string[]): CategoricalDrift {
  const r = countValues(reference);
  const c = countValues(current);
  if (reference.length <= CHI_SQUARED_MAX_REFERENCE) {
    const { statistic, pValue } = chiSquared(r, c);
    return {
      test: 'chi-squared',
      statistic,
      pValue,
      threshold: CHI_SQUARED_ALPHA,
      drifted: pValue < CHI_SQUARED_ALPHA,
    };
  }
  const distance = jensenShannon(r, c);
  return {
    test: 'jensen-shannon',
    statistic: distance,
    threshold: JENSEN_SHANNON_THRESHOLD,
    drifted: distance > JENSEN_SHANNON_THRESHOLD,
  };
}
