import { describe, expect, it } from 'vitest';
import { chiSquaredSurvival, kolmogorovSurvival, logGamma } from './special.ts';

describe('special functions', () => {
  // Critical values from standard chi-squared tables: each is the 5 % (or 1 %) point.
  it.each([
    [3.841, 1, 0.05],
    [5.991, 2, 0.05],
    [18.307, 10, 0.05],
    [6.635, 1, 0.01],
    [124.342, 100, 0.05],
  ])('chi-squared tail of %d with %d df is %d', (x, df, p) => {
    expect(chiSquaredSurvival(x, df)).toBeCloseTo(p, 3);
  });

  it('gives 1 for a zero statistic', () => {
    expect(chiSquaredSurvival(0, 3)).toBe(1);
  });

  it('ln Γ matches factorials', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
  });

  // 1.358 is the textbook 5 % critical value of the Kolmogorov distribution, 1.628 the 1 %.
  it.each([
    [1.358, 0.05],
    [1.628, 0.01],
  ])('Kolmogorov tail at %d is %d', (lambda, p) => {
    expect(kolmogorovSurvival(lambda)).toBeCloseTo(p, 3);
  });
});
