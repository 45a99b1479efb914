/** Known answers for the experiment statistics: textbook values worked by hand. */
import { describe, expect, it } from 'vitest';
import { bootstrapMean } from './bootstrap.ts';
import { quantile } from './describe.ts';
import { classify } from './labels.ts';
import { comparePaired } from './paired.ts';
import { seededRandom } from './random.ts';
import { mcnemarExact, pairedPermutation } from './tests.ts';

describe('mcnemarExact', () => {
  it.each([
    // No discordant pairs: nothing to test.
    { b: 0, c: 0, p: 1 },
    // The classic 1 vs 9: 2·(1 + 10)/1024.
    { b: 1, c: 9, p: 22 / 1024 },
    // Symmetric in b and c.
    { b: 9, c: 1, p: 22 / 1024 },
    // 7 vs 2: 2·(1 + 9 + 36)/512.
    { b: 7, c: 2, p: 92 / 512 },
    // Balanced: capped at 1.
    { b: 5, c: 5, p: 1 },
    // All 16 discordant pairs one way: 2/2^16.
    { b: 0, c: 16, p: 2 / 65_536 },
  ])('b=$b c=$c → $p', ({ b, c, p }) => {
    expect(mcnemarExact(b, c)).toBeCloseTo(p, 12);
  });

  it('stays finite for large counts (log-space sum)', () => {
    const p = mcnemarExact(480, 520);
    // Normal approximation with continuity correction: z = (|40| − 1)/√1000 ≈ 1.233, p ≈ 0.217.
    expect(p).toBeGreaterThan(0.2);
    expect(p).toBeLessThan(0.24);
  });
});

describe('pairedPermutation', () => {
  it.each([
    // Three positive differences: only the all-plus and all-minus patterns reach |sum| 6 → 2/8.
    { d: [1, 2, 3], p: 0.25 },
    // Zeros carry no sign and are dropped: the same answer.
    { d: [0, 1, 2, 3, 0], p: 0.25 },
    // Opposite differences: every pattern is at least as extreme as 0.
    { d: [1, -1], p: 1 },
    // Nothing differs.
    { d: [0, 0, 0], p: 1 },
    // Five equal differences: 2/32.
    { d: [2, 2, 2, 2, 2], p: 2 / 32 },
  ])('exact for $d → $p', ({ d, p }) => {
    expect(pairedPermutation(d)).toBeCloseTo(p, 12);
  });

  it('Monte Carlo agrees with exact enumeration within its sampling error', () => {
    const random = seededRandom(7);
    const d = Array.from({ length: 14 }, () => random() - 0.3);
    const exact = pairedPermutation(d);
    const sampled = pairedPermutation(d, { maxExact: 0, resamples: 20_000, seed: 3 });
    expect(Math.abs(sampled - exact)).toBeLessThan(0.015);
  });
});

describe('bootstrapMean', () => {
  it('gives a zero-width interval for constant scores (every item right)', () => {
    expect(bootstrapMean(Array(40).fill(1))).toEqual({ mean: 1, ci95: [1, 1], n: 40 });
  });

  it('is reproducible for a seed', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? 0 : 1));
    expect(bootstrapMean(values, { seed: 11 })).toEqual(bootstrapMean(values, { seed: 11 }));
  });

  it('matches the normal-theory interval for a large sample (0 … 99)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const { mean, ci95 } = bootstrapMean(values, { resamples: 10_000 });
    // σ = √((n² − 1)/12) ≈ 28.87, se = σ/√n ≈ 2.887, 1.96·se ≈ 5.66.
    expect(mean).toBe(49.5);
    expect(ci95[0]).toBeCloseTo(49.5 - 5.66, 0);
    expect(ci95[1]).toBeCloseTo(49.5 + 5.66, 0);
  });

  it('gives about p ± 1.96·√(p(1−p)/n) for 24 passes of 40', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i < 24 ? 1 : 0));
    const { mean, ci95 } = bootstrapMean(values, { resamples: 10_000 });
    expect(mean).toBeCloseTo(0.6, 12);
    expect(Math.abs(ci95[0] - 0.448)).toBeLessThan(0.03);
    expect(Math.abs(ci95[1] - 0.752)).toBeLessThan(0.03);
  });

  it('returns NaN for no values and a point for one', () => {
    expect(bootstrapMean([]).n).toBe(0);
    expect(bootstrapMean([0.4]).ci95).toEqual([0.4, 0.4]);
  });
});

describe('comparePaired', () => {
  it('flags 1.0 → 0.6 on 40 pass/fail items as a regression (McNemar 0 vs 16)', () => {
    const pairs = Array.from({ length: 40 }, (_, i) => ({ baseline: 1, candidate: i % 5 < 2 ? 0 : 1 }));
    const result = comparePaired(pairs);
    expect(result).toMatchObject({ n: 40, test: 'mcnemar_exact', regressed: 16, improved: 0, unchanged: 24 });
    expect(result.difference).toBeCloseTo(-0.4, 12);
    expect(result.pValue).toBeCloseTo(2 / 65_536, 12);
    expect(result.regression).toBe(true);
    expect(result.improvement).toBe(false);
    expect(result.ci95[0]).toBeLessThan(-0.4);
    expect(result.ci95[1]).toBeGreaterThan(-0.4);
  });

  it('does not flag a swap of as many items each way', () => {
    const pairs = Array.from({ length: 40 }, (_, i) => ({
      baseline: i < 5 ? 1 : i < 10 ? 0 : 1,
      candidate: i < 5 ? 0 : 1,
    }));
    const result = comparePaired(pairs);
    expect(result).toMatchObject({ regressed: 5, improved: 5, pValue: 1, regression: false });
  });

  it('uses the permutation test for numeric scores and honours alpha', () => {
    const pairs = [0.9, 0.8, 0.85, 0.7, 0.95].map((b) => ({ baseline: b, candidate: b - 0.1 }));
    // All five differences are −0.1: exact p = 2/32 = 0.0625.
    expect(comparePaired(pairs)).toMatchObject({ test: 'paired_permutation', regression: false });
    expect(comparePaired(pairs).pValue).toBeCloseTo(0.0625, 12);
    expect(comparePaired(pairs, { alpha: 0.1 }).regression).toBe(true);
  });

  it('says nothing for no pairs', () => {
    expect(comparePaired([])).toMatchObject({ n: 0, test: 'none', pValue: 1, regression: false });
  });
});

describe('classify', () => {
  it('matches the scikit-learn documentation example', () => {
    // y_true = [2, 0, 2, 2, 0, 1], y_pred = [0, 0, 2, 2, 0, 2]
    const expected = ['2', '0', '2', '2', '0', '1'];
    const predicted = ['0', '0', '2', '2', '0', '2'];
    const report = classify(expected.map((e, i) => ({ expected: e, predicted: predicted[i]! })));
    expect(report.labels).toEqual(['0', '1', '2']);
    expect(report.confusionMatrix).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
    expect(report.accuracy).toBeCloseTo(4 / 6, 12);
    const [zero, one, two] = report.perLabel;
    expect(zero).toMatchObject({ support: 2, recall: 1 });
    expect(zero!.precision).toBeCloseTo(2 / 3, 12);
    expect(zero!.f1).toBeCloseTo(0.8, 12);
    // Never predicted: precision undefined (scikit-learn warns and reports 0), recall 0.
    expect(one).toMatchObject({ support: 1, precision: undefined, recall: 0, f1: undefined });
    expect(two!.precision).toBeCloseTo(2 / 3, 12);
    expect(two!.recall).toBeCloseTo(2 / 3, 12);
    expect(report.macro.recall).toBeCloseTo((1 + 0 + 2 / 3) / 3, 12);
  });
});

describe('quantile', () => {
  it('interpolates like type 7 (R, NumPy default)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 12);
  });
});
