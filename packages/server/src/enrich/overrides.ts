/**
 * Per-project price overrides, compiled once per override array and memoized per
 * (provider, model). Matching rules: see `findPrice` and docs/pricing.md.
 */
import { ArgusError } from '../errors.ts';
import { BoundedCache } from './bounded-cache.ts';
import { isSnapshotSuffix, normalizeModel, normalizeProvider, rawModelKey } from './model-key.ts';
import { PRICE_MEMO_SIZE, pickPrices, priceProblem, show } from './price-fields.ts';
import type { ModelPrice, PriceOverride } from './pricing.ts';

interface CompiledOverride {
  provider: string;
  /** Normalized id for exact/snapshot matching, or the lowercased prefix for `*` overrides. */
  key: string;
  isPrefix: boolean;
  price: ModelPrice;
}

/** Overrides ready for lookups. */
export class CompiledOverrides {
  readonly #rules: CompiledOverride[];
  readonly #memo = new BoundedCache<string, ModelPrice | null>(PRICE_MEMO_SIZE);

  constructor(rules: CompiledOverride[]) {
    this.#rules = rules;
  }

  /** The best override for a normalized provider and lowercased model, or `undefined`. */
  find(provider: string, raw: string, memoKey: string): ModelPrice | undefined {
    const cached = this.#memo.get(memoKey);
    if (cached !== undefined) return cached ?? undefined;
    const normalized = normalizeModel(raw);
    let best: { rank: number; length: number; price: ModelPrice } | undefined;
    for (const rule of this.#rules) {
      if (rule.provider !== '' && rule.provider !== provider) continue;
      const rank = matchRank(rule, raw, normalized);
      if (rank === 0) continue;
      if (best === undefined || rank > best.rank || (rank === best.rank && rule.key.length > best.length)) {
        best = { rank, length: rule.key.length, price: rule.price };
      }
    }
    this.#memo.set(memoKey, best?.price ?? null);
    return best?.price;
  }
}

/** 3 = exact id, 2 = dated snapshot of the id, 1 = `*` prefix, 0 = no match. */
function matchRank(rule: CompiledOverride, raw: string, normalized: string): number {
  if (rule.isPrefix) return raw.startsWith(rule.key) || normalized.startsWith(rule.key) ? 1 : 0;
  if (rule.key === raw || rule.key === normalized) return 3;
  return normalized.startsWith(rule.key) && isSnapshotSuffix(normalized.slice(rule.key.length)) ? 2 : 0;
}

const compiledOverrides = new WeakMap<readonly PriceOverride[], CompiledOverrides>();

/** The compiled form of `overrides` (cached per array). Throws `INVALID_PARAMETER` naming a malformed override. */
export function compileOverrides(overrides: readonly PriceOverride[]): CompiledOverrides {
  let compiled = compiledOverrides.get(overrides);
  if (compiled === undefined) {
    compiled = new CompiledOverrides(overrides.map(compileOverride));
    compiledOverrides.set(overrides, compiled);
  }
  return compiled;
}

function compileOverride(override: PriceOverride, i: number): CompiledOverride {
  const model = typeof override.model === 'string' ? override.model.trim() : '';
  const problem =
    model === '' || model === '*'
      ? `model ${show(override.model)}, expected a model id or prefix*`
      : priceProblem({ ...override });
  if (problem !== undefined) {
    throw new ArgusError('INVALID_PARAMETER', `Cannot use price override ${i}: it has ${problem}`);
  }
  const isPrefix = model.endsWith('*');
  const provider = normalizeProvider(override.provider);
  return {
    provider,
    key: isPrefix ? rawModelKey(model.slice(0, -1)) : normalizeModel(model),
    isPrefix,
    price: Object.freeze(pickPrices({ ...override, provider, model })),
  };
}
