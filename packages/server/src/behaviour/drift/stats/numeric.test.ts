import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../quality/stats/random.ts';
import { ksTest, normedWasserstein, numericDrift, psi, wasserstein } from './numeric.ts';

const normal = (random: () => number, mean: number, sd: number) =>
  mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

describe('numeric drift', () => {
  it('KS of disjoint samples has D = 1 and a small p-value', () => {
    const { d, pValue } = ksTest([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(d).toBe(1);
    expect(pValue).toBeLessThan(0.01);
  });

  it('KS of identical samples has D = 0 and p = 1', () => {
    expect(ksTest([1, 2, 3], [1, 2, 3])).toEqual({ d: 0, pValue: 1 });
  });

  // Hand-computed: the CDFs of {1,2,3,4} and {3,4,5,6} differ by at most 1/2 (between 2 and 3).
  it('KS statistic by hand', () => {
    expect(ksTest([1, 2, 3, 4], [3, 4, 5, 6]).d).toBe(0.5);
  });

  it('Wasserstein distance is the shift between translated samples', () => {
    expect(wasserstein([0, 1], [1, 2])).toBeCloseTo(1, 12);
    expect(wasserstein([0, 0, 0], [1, 1, 1])).toBeCloseTo(1, 12);
    expect(wasserstein([1, 2, 3], [3, 2, 1])).toBe(0);
  });

  it('normalises Wasserstein by the reference standard deviation', () => {
    // sd of [0, 2] (n − 1) is √2; the shift is 1.
    expect(normedWasserstein([0, 2], [1, 3])).toBeCloseTo(1 / Math.SQRT2, 12);
  });

  it('PSI is 0 for the same sample and grows with a shift', () => {
    const a = Array.from({ length: 200 }, (_, i) => i);
    expect(psi(a, a)).toBeCloseTo(0, 12);
    expect(
      psi(
        a,
        a.map((v) => v + 100),
      ),
    ).toBeGreaterThan(1);
  });

  it('uses KS up to 1,000 reference values and Wasserstein above', () => {
    const random = seededRandom(1);
    const small = Array.from({ length: 300 }, () => normal(random, 0, 1));
    const large = Array.from({ length: 3000 }, () => normal(random, 0, 1));
    expect(
      numericDrift(
        small,
        small.map((v) => v + 1),
      ).test,
    ).toBe('ks');
    expect(
      numericDrift(
        large,
        large.map((v) => v + 1),
      ),
    ).toMatchObject({ test: 'wasserstein', drifted: true });
  });

  it('does not flag two samples of one distribution, and flags a shift of half a deviation', () => {
    const random = seededRandom(7);
    const draw = (mean: number) => Array.from({ length: 400 }, () => normal(random, mean, 1));
    expect(numericDrift(draw(0), draw(0)).drifted).toBe(false);
    expect(numericDrift(draw(0), draw(0.5)).drifted).toBe(true);
  });
});
