/**
 * The pricing catalog (list prices per 1M tokens, `pricing-catalog.json`) and the lookup that
 * finds the price of what an instrumentation reported. Loading the data file is the only I/O;
 * everything else is pure. Matching rules and the catalog format are in docs/pricing.md.
 */
import type { CatalogEntry, ModelPrice } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import { BoundedCache } from './bounded-cache.ts';
import {
  isSnapshotSuffix,
  normalizeModel,
  normalizeProvider,
  rawModelKey,
  snapshotBases,
} from './model-key.ts';
import { compileOverrides } from './overrides.ts';
import { PRICE_MEMO_SIZE, pickPrices, priceProblem, show } from './price-fields.ts';
import catalogData from './pricing-catalog.json' with { type: 'json' };

export type { CatalogEntry, ModelPrice };

/** A validated, frozen pricing catalog. */
export interface PricingCatalog {
  readonly version: string;
  /** ISO date of the last catalog-wide check. */
  readonly updatedAt: string;
  readonly models: readonly CatalogEntry[];
}

/** A per-project price that wins over the catalog. See {@link findPrice} for how `model` matches. */
export type PriceOverride = ModelPrice;

/** What a span says about its model. */
export interface PriceQuery {
  /** `gen_ai.provider.name` or equivalent; empty or unknown means "match on model alone". */
  provider?: string;
  model: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface CatalogIndex {
  /** Lookup key → entries that answer to it, in catalog order. */
  byKey: Map<string, CatalogEntry[]>;
  memo: BoundedCache<string, ModelPrice | null>;
}

const indexes = new WeakMap<PricingCatalog, CatalogIndex>();
let bundledCatalog: PricingCatalog | undefined;

/**
 * Validates and freezes a pricing catalog: the bundled `pricing-catalog.json` when `data` is
 * omitted (loaded and validated once), else `data`. Throws `CONFIG_INVALID` naming the first bad
 * entry: a price that is not a finite number ≥ 0, a missing id, a bad date, or an id or alias
 * used twice by one provider.
 */
export function loadPricingCatalog(data?: unknown): PricingCatalog {
  if (data !== undefined) return buildCatalog(data);
  bundledCatalog ??= buildCatalog(catalogData);
  return bundledCatalog;
}

/**
 * The price for `query`, or `undefined` when neither the overrides nor the catalog know the model.
 * Order: an override (exact id, then a dated snapshot of it, then the longest `*` prefix; one
 * with a `provider` only applies to that provider); then the catalog, first among entries of the
 * span's provider, then on the model alone (first entry in catalog order wins). Within each, an
 * exact id or alias wins over the longest id the model is a dated snapshot of. Results are
 * memoized per (provider, model). Throws `INVALID_PARAMETER` for a malformed override.
 */
export function findPrice(
  catalog: PricingCatalog,
  query: PriceQuery,
  overrides?: readonly PriceOverride[],
): ModelPrice | undefined {
  const raw = rawModelKey(query.model);
  if (raw === '') return undefined;
  const provider = normalizeProvider(query.provider);
  const memoKey = `${provider}\u0000${raw}`;
  if (overrides !== undefined && overrides.length > 0) {
    const fromOverride = compileOverrides(overrides).find(provider, raw, memoKey);
    if (fromOverride !== undefined) return fromOverride;
  }
  const index = indexFor(catalog);
  const cached = index.memo.get(memoKey);
  if (cached !== undefined) return cached ?? undefined;
  const found = lookup(index.byKey, provider, raw);
  index.memo.set(memoKey, found ?? null);
  return found;
}

function lookup(byKey: Map<string, CatalogEntry[]>, provider: string, raw: string): CatalogEntry | undefined {
  const normalized = normalizeModel(raw);
  const pick = (entries: CatalogEntry[] | undefined, anyProvider: boolean): CatalogEntry | undefined =>
    anyProvider ? entries?.[0] : entries?.find((entry) => entry.provider === provider);
  for (const anyProvider of provider === '' ? [true] : [false, true]) {
    const exact = pick(byKey.get(raw), anyProvider) ?? pick(byKey.get(normalized), anyProvider);
    if (exact !== undefined) return exact;
    for (const [base, rest] of snapshotBases(normalized)) {
      const entries = byKey.get(base);
      if (entries === undefined || !isSnapshotSuffix(rest)) continue;
      const entry = pick(entries, anyProvider);
      if (entry !== undefined) return entry;
    }
  }
  return undefined;
}

function indexFor(catalog: PricingCatalog): CatalogIndex {
  let index = indexes.get(catalog);
  if (index === undefined) {
    index = buildIndex(catalog.models);
    indexes.set(catalog, index);
  }
  return index;
}

function buildIndex(models: readonly CatalogEntry[]): CatalogIndex {
  const byKey = new Map<string, CatalogEntry[]>();
  for (const entry of models) {
    const keys = new Set<string>();
    for (const id of [entry.model, ...(entry.aliases ?? [])]) {
      keys.add(rawModelKey(id));
      keys.add(normalizeModel(id));
    }
    for (const key of keys) {
      const entries = byKey.get(key) ?? [];
      const clash = entries.find((other) => other.provider === entry.provider);
      if (clash !== undefined) {
        throw catalogError(
          `'${entry.model}' (${entry.provider}) and '${clash.model}' both answer to '${key}'`,
        );
      }
      entries.push(entry);
      byKey.set(key, entries);
    }
  }
  return { byKey, memo: new BoundedCache(PRICE_MEMO_SIZE) };
}

function buildCatalog(data: unknown): PricingCatalog {
  if (!isRecord(data)) throw catalogError('the catalog is not a JSON object');
  const { version, updatedAt, models } = data;
  if (typeof version !== 'string' || version === '') throw catalogError(`'version' is ${show(version)}`);
  if (!isIsoDate(updatedAt)) throw catalogError(`'updatedAt' is ${show(updatedAt)}, expected YYYY-MM-DD`);
  if (!Array.isArray(models)) throw catalogError(`'models' is ${show(models)}, expected an array`);
  const entries = models.map((row: unknown, i: number) => Object.freeze(parseEntry(row, i)));
  const catalog: PricingCatalog = Object.freeze({ version, updatedAt, models: Object.freeze(entries) });
  indexes.set(catalog, buildIndex(entries));
  return catalog;
}

function parseEntry(row: unknown, i: number): CatalogEntry {
  if (!isRecord(row)) throw catalogError(`entry ${i} is ${show(row)}, expected an object`);
  const name =
    typeof row.model === 'string' && row.model !== ''
      ? `'${row.model}' (${String(row.provider)})`
      : `entry ${i}`;
  for (const field of ['provider', 'model', 'source'] as const) {
    if (typeof row[field] !== 'string' || row[field] === '') {
      throw catalogError(`${name} has ${field} ${show(row[field])}, expected a non-empty string`);
    }
  }
  if (!isIsoDate(row.checkedAt))
    throw catalogError(`${name} has checkedAt ${show(row.checkedAt)}, expected YYYY-MM-DD`);
  const aliases = row.aliases ?? [];
  if (!Array.isArray(aliases) || !aliases.every((alias) => typeof alias === 'string' && alias !== '')) {
    throw catalogError(`${name} has aliases ${show(row.aliases)}, expected non-empty strings`);
  }
  const problem = priceProblem(row);
  if (problem !== undefined) throw catalogError(`${name} has ${problem}`);
  const entry: CatalogEntry = {
    ...pickPrices(row as unknown as ModelPrice),
    provider: row.provider as string,
    checkedAt: row.checkedAt as string,
    source: row.source as string,
  };
  if (aliases.length > 0) entry.aliases = Object.freeze([...aliases]);
  if (typeof row.note === 'string') entry.note = row.note;
  return entry;
}

function catalogError(detail: string): ArgusError {
  return new ArgusError('CONFIG_INVALID', `Cannot load pricing catalog: ${detail}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  // Round-tripping rejects impossible days that Date.parse would roll over (2026-02-30).
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}
