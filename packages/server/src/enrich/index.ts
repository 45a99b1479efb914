/**
 * The enrich stage: fills in what a normalized span did not report — estimated token counts and
 * the cost from the pricing catalog — before the span is written. Pure apart from loading the
 * catalog file (see `loadPricingCatalog`).
 */
import type { Span } from '@argus/shared';
import { computeCost } from './cost.ts';
import { findPrice, type ModelPrice, type PriceOverride, type PricingCatalog } from './pricing.ts';
import { estimateTokens, messagesText } from './tokens.ts';

export type { CostBreakdown, TokenUsage } from './cost.ts';
export { computeCost } from './cost.ts';
export type { CatalogEntry, ModelPrice, PriceOverride, PriceQuery, PricingCatalog } from './pricing.ts';
export { findPrice, loadPricingCatalog } from './pricing.ts';
export type { TokenEncoding } from './tokens.ts';
export {
  encodingForModel,
  estimateTokens,
  MAX_EXACT_CHARS,
  messagesText,
  preloadTokenizers,
} from './tokens.ts';

/** Raw attribute that marks a span whose usage repeats its children's (agent/workflow roots). */
export const USAGE_SCOPE_ATTRIBUTE = 'argus.usage_scope';

/** Dependencies of {@link createEnricher}. */
export interface EnricherOptions {
  catalog: PricingCatalog;
  /** Per-project prices that win over the catalog; return the same array while it is unchanged (it is compiled once per array). */
  overridesFor?: (projectId: string) => readonly PriceOverride[] | undefined;
}

/** Enriches spans in place. */
export interface Enricher {
  /**
   * Estimates missing token counts and computes the cost of `span`, mutating it in place and
   * returning the same object. Throws `INVALID_PARAMETER` only when a project override is malformed.
   */
  enrichSpan(span: Span): Span;
}

/**
 * Creates the enrich stage. `enrichSpan`:
 * - leaves spans with `argus.usage_scope = aggregate` untouched (their usage repeats their children's);
 * - gives a failed call that reported no tokens (`status = error`) no estimate, and no cost
 *   (`costSource = none`) unless one was reported: a rejected request (429, 5xx, timeout) is not
 *   billed, so pricing its prompt would make failed traces look dearer than good ones;
 * - for `llm`/`embedding` spans that reported neither input nor output tokens but carry content,
 *   estimates input tokens from `input` + `systemInstructions` and output tokens from `output`
 *   (none for embeddings), sets `totalTokens` and `tokensEstimated`;
 * - unless the cost was reported, prices the span by provider + response model (falling back to
 *   the request model): `costSource` becomes `computed`, or `none` with zero costs when no price is known.
 */
export function createEnricher(options: EnricherOptions): Enricher {
  const { catalog, overridesFor } = options;

  function priceOf(span: Span): ModelPrice | undefined {
    const overrides = overridesFor?.(span.projectId);
    for (const model of [span.responseModel, span.requestModel]) {
      if (model === '') continue;
      const price = findPrice(catalog, { provider: span.provider, model }, overrides);
      if (price !== undefined) return price;
    }
    return undefined;
  }

  return {
    enrichSpan(span: Span): Span {
      if (span.attributes[USAGE_SCOPE_ATTRIBUTE] === 'aggregate') return span;
      // Checked before estimating: an estimate would turn "reported nothing" into tokens.
      const failedWithoutUsage = isFailureWithoutUsage(span);
      if (!failedWithoutUsage && needsTokenEstimate(span)) estimateUsage(span);
      if (span.costSource === 'reported') return span;
      if (failedWithoutUsage) return withoutCost(span);
      const price = priceOf(span);
      if (price === undefined) return withoutCost(span);
      const cost = computeCost(span, price);
      span.inputCostUsd = cost.inputCostUsd;
      span.outputCostUsd = cost.outputCostUsd;
      span.costUsd = cost.costUsd;
      span.costSource = 'computed';
      return span;
    },
  };
}

/** A failed call that reported no tokens: the provider billed nothing we know of. */
function isFailureWithoutUsage(span: Span): boolean {
  return span.status === 'error' && span.inputTokens === 0 && span.outputTokens === 0;
}

function withoutCost(span: Span): Span {
  span.costSource = 'none';
  span.costUsd = 0;
  span.inputCostUsd = 0;
  span.outputCostUsd = 0;
  return span;
}

function needsTokenEstimate(span: Span): boolean {
  return (
    (span.kind === 'llm' || span.kind === 'embedding') && span.inputTokens === 0 && span.outputTokens === 0
  );
}

function estimateUsage(span: Span): void {
  const model = span.responseModel || span.requestModel;
  const inputText = [messagesText(span.systemInstructions), messagesText(span.input)]
    .filter(Boolean)
    .join('\n');
  // Embedding output is vectors, not generated tokens.
  const outputText = span.kind === 'embedding' ? '' : messagesText(span.output);
  if (inputText === '' && outputText === '') return;
  span.inputTokens = estimateTokens(inputText, model);
  span.outputTokens = estimateTokens(outputText, model);
  span.totalTokens = span.inputTokens + span.outputTokens;
  span.tokensEstimated = true;
}
