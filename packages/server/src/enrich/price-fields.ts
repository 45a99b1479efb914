/**
 * Validation and copying of the four price fields shared by catalog entries and overrides.
 */
import type { ModelPrice } from './pricing.ts';

/** Distinct (provider, model) pairs remembered per catalog or override list. */
export const PRICE_MEMO_SIZE = 4096;

const PRICE_FIELDS = ['inputPerMTok', 'outputPerMTok', 'cacheReadPerMTok', 'cacheWritePerMTok'] as const;

/** Describes the first price field of `row` that is not a finite number ≥ 0 (optional ones may be absent). */
export function priceProblem(row: Record<string, unknown>): string | undefined {
  for (const field of PRICE_FIELDS) {
    const value = row[field];
    const optional = field === 'cacheReadPerMTok' || field === 'cacheWritePerMTok';
    if (optional && value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return `${field} ${show(value)}, expected a finite number ≥ 0`;
    }
  }
  return undefined;
}

/** A fresh {@link ModelPrice} with only the price fields of `source` that are set. */
export function pickPrices(source: ModelPrice): ModelPrice {
  const price: ModelPrice = {
    provider: source.provider,
    model: source.model,
    inputPerMTok: source.inputPerMTok,
    outputPerMTok: source.outputPerMTok,
  };
  if (source.cacheReadPerMTok !== undefined) price.cacheReadPerMTok = source.cacheReadPerMTok;
  if (source.cacheWritePerMTok !== undefined) price.cacheWritePerMTok = source.cacheWritePerMTok;
  return price;
}

/** `value` quoted for an error message: `'text'`, `42`, `missing`, or JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'missing';
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}
