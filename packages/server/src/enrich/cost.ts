/**
 * Cost of one span from its normalized token buckets and a {@link ModelPrice}. Pure arithmetic.
 */
import type { ModelPrice } from './pricing.ts';

/** Token buckets of a span. `inputTokens` includes cache reads and writes (OTel rule). */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** USD cost of a span, split into input and output. */
export interface CostBreakdown {
  inputCostUsd: number;
  outputCostUsd: number;
  costUsd: number;
}

/**
 * USD cost of `usage` at `price`. Uncached input (input − cache reads − cache writes) is billed
 * at the input price, cache reads and writes at their own prices (the input price where the
 * model has none), output at the output price. Counts that are negative or not finite count as
 * 0, and cache buckets are capped at `inputTokens`, so the result is always finite and ≥ 0.
 */
export function computeCost(usage: TokenUsage, price: ModelPrice): CostBreakdown {
  const input = count(usage.inputTokens);
  const cacheRead = Math.min(count(usage.cacheReadTokens), input);
  const cacheWrite = Math.min(count(usage.cacheWriteTokens), input - cacheRead);
  const uncached = input - cacheRead - cacheWrite;
  const inputCostUsd =
    (uncached * price.inputPerMTok +
      cacheRead * (price.cacheReadPerMTok ?? price.inputPerMTok) +
      cacheWrite * (price.cacheWritePerMTok ?? price.inputPerMTok)) /
    1e6;
  const outputCostUsd = (count(usage.outputTokens) * price.outputPerMTok) / 1e6;
  return { inputCostUsd, outputCostUsd, costUsd: inputCostUsd + outputCostUsd };
}

function count(tokens: number): number {
  return Number.isFinite(tokens) && tokens > 0 ? tokens : 0;
}
