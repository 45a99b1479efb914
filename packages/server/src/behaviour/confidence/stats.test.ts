import { describe, expect, it } from 'vitest';
import type { TokenLogprob } from './parse.ts';
import {
  confidenceFromMean,
  confidenceOf,
  LOW_PROBABILITY,
  pooledFromMeans,
  positionEntropy,
} from './stats.ts';

const token = (logprob: number, top: number[] = []): TokenLogprob => ({
  token: 't',
  logprob,
  top: top.map((l) => ({ token: 'a', logprob: l })),
});

describe('confidenceOf', () => {
  it('gives perplexity exp(−mean), mean, min and the share under the threshold', () => {
    const c = confidenceOf([token(Math.log(0.9)), token(Math.log(0.25)), token(Math.log(0.6))]);
    const mean = (Math.log(0.9) + Math.log(0.25) + Math.log(0.6)) / 3;
    expect(c.perplexity).toBe(Math.exp(-mean));
    expect(c.logprobMean).toBe(mean);
    expect(c.logprobMin).toBe(Math.log(0.25));
    // Only 0.25 is below the 0.5 threshold.
    expect(LOW_PROBABILITY).toBe(0.5);
    expect(c.lowProbShare).toBeCloseTo(1 / 3, 12);
    expect(c.logprobTokens).toBe(3);
    expect(c.topEntropyMean).toBeUndefined();
  });

  it('is perplexity 1 and entropy 0 for certain tokens', () => {
    const c = confidenceOf([token(0, [0]), token(0, [0, -40])]);
    expect(c.perplexity).toBe(1);
    expect(c.topEntropyMean).toBeCloseTo(0, 12);
    expect(c.lowProbShare).toBe(0);
  });

  it('counts the mass the alternatives leave out as one more outcome', () => {
    // Two alternatives of 0.25 leave 0.5: entropy = −(2·0.25·ln 0.25 + 0.5·ln 0.5) = 1.5 ln 2.
    expect(positionEntropy(token(Math.log(0.25), [Math.log(0.25), Math.log(0.25)]))).toBeCloseTo(
      1.5 * Math.LN2,
      12,
    );
    // A uniform pair that sums to 1 has entropy ln 2 and no rest.
    expect(positionEntropy(token(Math.log(0.5), [Math.log(0.5), Math.log(0.5)]))).toBeCloseTo(Math.LN2, 12);
    expect(positionEntropy(token(-1))).toBeUndefined();
  });

  it('averages entropy over the positions that have alternatives only', () => {
    const c = confidenceOf([token(Math.log(0.5), [Math.log(0.5), Math.log(0.5)]), token(-0.1)]);
    expect(c.topEntropyMean).toBeCloseTo(Math.LN2, 12);
  });
});

describe('figures from means', () => {
  it('reads a mean and count, refusing unusable ones', () => {
    expect(confidenceFromMean(-0.5, 4)).toEqual({
      perplexity: Math.exp(0.5),
      logprobMean: -0.5,
      logprobTokens: 4,
    });
    expect(confidenceFromMean(0.5, 4)).toBeUndefined();
    expect(confidenceFromMean(-0.5, 0)).toBeUndefined();
    expect(confidenceFromMean(Number.NaN, 3)).toBeUndefined();
    expect(confidenceFromMean('-0.5', 3)).toBeUndefined();
  });

  it('pools choices weighted by their token counts', () => {
    const pooled = pooledFromMeans([
      { perplexity: 0, logprobMean: -1, logprobTokens: 1 },
      { perplexity: 0, logprobMean: -0.25, logprobTokens: 3 },
    ]);
    expect(pooled).toEqual({ perplexity: Math.exp(0.4375), logprobMean: -0.4375, logprobTokens: 4 });
  });
});
