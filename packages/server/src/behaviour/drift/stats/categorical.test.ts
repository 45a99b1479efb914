import { describe, expect, it } from 'vitest';
import { categoricalDrift, chiSquared, jensenShannon } from './categorical.ts';

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('categorical drift', () => {
  // By hand: both columns expect 15 per cell; four cells of (5²/15) sum to 6.667, 1 df.
  it('chi-squared statistic of a 2 × 2 table', () => {
    const result = chiSquared(counts({ a: 10, b: 20 }), counts({ a: 20, b: 10 }));
    expect(result.statistic).toBeCloseTo(100 / 15, 10);
    expect(result.df).toBe(1);
    expect(result.pValue).toBeCloseTo(0.00982, 4);
  });

  it('Jensen–Shannon distance: 0 for the same shares, 1 for disjoint, and a hand value', () => {
    expect(jensenShannon(counts({ a: 5, b: 5 }), counts({ a: 1, b: 1 }))).toBeCloseTo(0, 12);
    expect(jensenShannon(counts({ a: 5 }), counts({ b: 5 }))).toBeCloseTo(1, 12);
    // p = (½, ½), q = (1, 0): divergence 0.311278 (log base 2).
    expect(jensenShannon(counts({ a: 1, b: 1 }), counts({ a: 1 }))).toBeCloseTo(Math.sqrt(0.311278), 5);
  });

  it('picks chi-squared for small references and Jensen–Shannon for large ones', () => {
    const same = [...Array(200).fill('gpt-4o'), ...Array(200).fill('gpt-4o-mini')];
    expect(categoricalDrift(same, same)).toMatchObject({ test: 'chi-squared', drifted: false });
    const large = [...Array(1500).fill('gpt-4o'), ...Array(1500).fill('gpt-4o-mini')];
    const moved = [...Array(300).fill('gpt-4o'), ...Array(2700).fill('gpt-4o-mini')];
    expect(categoricalDrift(large, moved)).toMatchObject({ test: 'jensen-shannon', drifted: true });
  });
});
