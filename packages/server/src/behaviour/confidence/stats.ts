/**
 * Confidence figures of a list of token logprobs: perplexity = exp(−mean logprob), the mean and
 * minimum logprob, the mean entropy of the returned alternatives and the share of low-probability
 * tokens. Pure arithmetic, one pass.
 */
import type { TokenLogprob } from './parse.ts';

/** A token is "low probability" below this probability (ln 0.5 ≈ −0.693): less than even odds. */
export const LOW_PROBABILITY = 0.5;
const LOW_LOGPROB = Math.log(LOW_PROBABILITY);

/** The confidence columns of a span; a figure the input cannot give is absent. */
export interface Confidence {
  /** exp(−mean token logprob), ≥ 1; 1 means every token was certain. */
  perplexity: number;
  logprobMean: number;
  logprobMin?: number;
  /**
   * Mean over positions with alternatives of their entropy in nats, counting the probability mass
   * the alternatives leave out as one more outcome (a lower bound of the full entropy).
   */
  topEntropyMean?: number;
  /** Share of tokens whose probability is below {@link LOW_PROBABILITY}, 0…1. */
  lowProbShare?: number;
  /** How many tokens the figures cover. */
  logprobTokens: number;
}

/** Entropy (nats) of one position's alternatives plus the mass they leave out; undefined without any. */
export function positionEntropy(token: TokenLogprob): number | undefined {
  if (token.top.length === 0) return undefined;
  let mass = 0;
  let entropy = 0;
  for (const a of token.top) {
    const p = Math.exp(a.logprob);
    mass += p;
    if (p > 0) entropy -= p * a.logprob;
  }
  const rest = 1 - mass;
  // Alternatives that sum past 1 (rounded or inconsistent providers) leave no rest.
  if (rest > 1e-12) entropy -= rest * Math.log(rest);
  return Math.max(0, entropy);
}

/** The confidence figures of `tokens` (non-empty, logprobs already validated ≤ 0). */
export function confidenceOf(tokens: readonly TokenLogprob[]): Confidence {
  let sum = 0;
  let min = 0;
  let low = 0;
  let entropySum = 0;
  let entropyCount = 0;
  for (const [i, t] of tokens.entries()) {
    sum += t.logprob;
    if (i === 0 || t.logprob < min) min = t.logprob;
    if (t.logprob < LOW_LOGPROB) low++;
    const entropy = positionEntropy(t);
    if (entropy !== undefined) {
      entropySum += entropy;
      entropyCount++;
    }
  }
  const mean = sum / tokens.length;
  const out: Confidence = {
    perplexity: Math.exp(-mean),
    logprobMean: mean,
    logprobMin: min,
    lowProbShare: low / tokens.length,
    logprobTokens: tokens.length,
  };
  if (entropyCount > 0) out.topEntropyMean = entropySum / entropyCount;
  return out;
}

/**
 * Figures from a count and mean alone (the SDK sends `logprobs.mean` / `logprobs.count` even when
 * it may not send the tokens): perplexity and mean only. Undefined for unusable values.
 */
export function confidenceFromMean(mean: unknown, count: unknown): Confidence | undefined {
  if (typeof mean !== 'number' || !Number.isFinite(mean) || mean > 1e-6) return undefined;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return undefined;
  const m = Math.min(mean, 0);
  return { perplexity: Math.exp(-m), logprobMean: m, logprobTokens: count };
}

/** Pools several choices' figures computed from means (token-weighted). */
export function pooledFromMeans(parts: readonly Confidence[]): Confidence | undefined {
  let sum = 0;
  let count = 0;
  for (const p of parts) {
    sum += p.logprobMean * p.logprobTokens;
    count += p.logprobTokens;
  }
  if (count === 0) return undefined;
  return { perplexity: Math.exp(-sum / count), logprobMean: sum / count, logprobTokens: count };
}
