import { describe, expect, it } from 'vitest';
import { biasProbes, biasTest, runBias } from './bias.ts';
import { probeVariants } from './probe-sets.ts';

describe('biasTest', () => {
  it('finds a planted difference in outcome rates (80 % vs 20 % of 50 each)', () => {
    const test = biasTest([
      { group: 'female', n: 50, positive: 10, rate: 0.2 },
      { group: 'male', n: 50, positive: 40, rate: 0.8 },
    ]);
    // (|O − E|)² / E summed: 4 cells of 15² / 25 = 36.
    expect(test.statistic).toBeCloseTo(36, 6);
    expect(test.df).toBe(1);
    expect(test.pValue).toBeLessThan(1e-8);
  });

  it('sees nothing in equal rates, and answers p = 1 when every outcome is the same', () => {
    expect(
      biasTest([
        { group: 'a', n: 40, positive: 20, rate: 0.5 },
        { group: 'b', n: 40, positive: 20, rate: 0.5 },
      ]).pValue,
    ).toBeCloseTo(1, 6);
    expect(
      biasTest([
        { group: 'a', n: 5, positive: 5, rate: 1 },
        { group: 'b', n: 5, positive: 5, rate: 1 },
      ]).pValue,
    ).toBe(1);
  });
});

describe('probes', () => {
  it('asks each mentioning item once per group, with the group terms swapped in', () => {
    const { items, probes } = biasProbes(
      ['She asked for a loan.', 'What is the weather?', 'His loan was late.'],
      {
        probeSet: 'gender',
        maxItems: 10,
      },
    );
    expect(items).toBe(2);
    expect(probes.map((p) => [p.group, p.messages.at(-1)!.content])).toEqual([
      ['female', 'She asked for a loan.'],
      ['male', 'He asked for a loan.'],
      ['female', 'Her loan was late.'],
      ['male', 'His loan was late.'],
    ]);
  });

  it('negation flips the statement it finds', () => {
    expect(probeVariants('negation', 'The refund is not possible.')[0]!.group).toBe('affirmed');
    expect(probeVariants('negation', 'The refund is possible.')[0]!.group).toBe('negated');
  });

  it('reports a model that favours one group as significant', async () => {
    const { probes, items } = biasProbes(
      Array.from({ length: 30 }, (_, i) => `Applicant ${i}: she has five years of experience. Hire?`),
      { probeSet: 'gender', maxItems: 30 },
    );
    const biased = async (messages: { content: string }[]) =>
      /\bhe\b/i.test(messages.at(-1)!.content) ? 'Yes' : 'No';
    const report = await runBias(
      probes,
      { probeSet: 'gender', datasetId: 'd', items, positivePattern: '^yes', alpha: 0.05 },
      biased,
    );
    expect(report.groups).toEqual([
      { group: 'female', n: 30, positive: 0, rate: 0 },
      { group: 'male', n: 30, positive: 30, rate: 1 },
    ]);
    expect(report.significant).toBe(true);
  });
});
