/** Agreement statistics against values worked by hand on small fixed examples. */
import { describe, expect, it } from 'vitest';
import { cohensKappa, meanAbsoluteDifference, pearson, ranks, spearman } from './agreement.ts';
import { classify } from './labels.ts';

// Ten items, people against a judge: 5 yes/yes, 1 yes/no, 1 no/yes, 3 no/no.
const HUMAN = ['yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'no', 'no', 'no', 'no'];
const JUDGE = ['yes', 'yes', 'yes', 'yes', 'yes', 'no', 'yes', 'no', 'no', 'no'];

describe('cohensKappa', () => {
  it('matches the hand computation on the 10-item example', () => {
    // pₒ = 8/10 = 0.8; pₑ = 0.6·0.6 + 0.4·0.4 = 0.52; κ = 0.28/0.48 = 0.58333…
    // SE = √(0.8·0.2 / (10·0.48²)) = √(0.16/2.304) = 0.263523; 1.96·SE = 0.516497.
    const kappa = cohensKappa(HUMAN.map((a, i) => ({ a, b: JUDGE[i]! })));
    expect(kappa.value).toBeCloseTo(0.583333, 5);
    expect(kappa.low).toBeCloseTo(0.583333 - 0.516497, 4);
    // The upper bound 1.0998 is clamped to 1.
    expect(kappa.high).toBe(1);
  });

  it.each([
    // Perfect agreement over two labels: κ = 1 with a zero-width interval.
    { a: ['x', 'y', 'x', 'y'], b: ['x', 'y', 'x', 'y'], kappa: 1 },
    // Perfect disagreement over two balanced labels: pₒ = 0, pₑ = 0.5 → κ = −1.
    { a: ['x', 'y', 'x', 'y'], b: ['y', 'x', 'y', 'x'], kappa: -1 },
    // One label used by both throughout: pₑ = 1, reported as 1 (no interval).
    { a: ['x', 'x'], b: ['x', 'x'], kappa: 1 },
    // Three labels: pₒ = 4/6, pₑ = (2·2 + 2·1 + 2·3)/36 = 1/3 → κ = (2/3 − 1/3)/(2/3) = 0.5.
    { a: ['a', 'a', 'b', 'b', 'c', 'c'], b: ['a', 'b', 'b', 'c', 'c', 'c'], kappa: 0.5 },
  ])('κ of $a vs $b is $kappa', ({ a, b, kappa }) => {
    expect(cohensKappa(a.map((x, i) => ({ a: x, b: b[i]! }))).value).toBeCloseTo(kappa, 10);
  });

  it('is NaN without pairs', () => {
    expect(cohensKappa([]).value).toBeNaN();
  });
});

describe('classification of the judge against people', () => {
  it('gives the hand-computed precision, recall and F1 per label', () => {
    const report = classify(HUMAN.map((expected, i) => ({ expected, predicted: JUDGE[i]! })));
    expect(report.labels).toEqual(['no', 'yes']);
    expect(report.confusionMatrix).toEqual([
      [3, 1],
      [1, 5],
    ]);
    expect(report.accuracy).toBeCloseTo(0.8, 12);
    const yes = report.perLabel.find((l) => l.label === 'yes')!;
    const no = report.perLabel.find((l) => l.label === 'no')!;
    // yes: 5 of the judge's 6 yes are right (precision), 5 of people's 6 yes found (recall).
    expect(yes).toMatchObject({ support: 6 });
    expect(yes.precision).toBeCloseTo(5 / 6, 12);
    expect(yes.recall).toBeCloseTo(5 / 6, 12);
    expect(yes.f1).toBeCloseTo(5 / 6, 12);
    // no: 3 of 4 both ways.
    expect(no.precision).toBeCloseTo(0.75, 12);
    expect(no.recall).toBeCloseTo(0.75, 12);
  });
});

describe('correlations', () => {
  const x = [1, 2, 3, 4, 5];
  const y = [2, 4, 5, 4, 5];

  it('Pearson: r = 6/√60 with its Fisher-z interval', () => {
    // Deviations dx = [−2,−1,0,1,2], dy = [−2,0,1,0,1]: Σdxdy = 6, Σdx² = 10, Σdy² = 6.
    const r = pearson(x, y);
    expect(r.value).toBeCloseTo(0.774597, 6);
    // z = atanh(0.774597) = 1.03172; half-width 1.96/√2 = 1.38590 → tanh(−0.35418), tanh(2.41762).
    expect(r.low).toBeCloseTo(-0.34009, 4);
    expect(r.high).toBeCloseTo(0.98423, 4);
  });

  it('Spearman: ranks with ties averaged, ρ = 7/√90', () => {
    expect(ranks(y)).toEqual([1, 2.5, 4.5, 2.5, 4.5]);
    expect(spearman(x, y).value).toBeCloseTo(0.737865, 6);
  });

  it('mean absolute difference: (1 + 2 + 2 + 0 + 0)/5', () => {
    expect(meanAbsoluteDifference(x, y)).toBe(1);
  });

  it('has no interval under 4 pairs, and is NaN for a constant side', () => {
    expect(pearson([1, 2, 3], [1, 3, 2]).low).toBeUndefined();
    expect(pearson([1, 2, 3, 4], [2, 2, 2, 2]).value).toBeNaN();
  });
});
