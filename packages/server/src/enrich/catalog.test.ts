import { describe, expect, it } from 'vitest';
import { isArgusError } from '../errors.ts';
import { normalizeModel } from './model-key.ts';
import { loadPricingCatalog } from './pricing.ts';
import raw from './pricing-catalog.json' with { type: 'json' };

const catalog = loadPricingCatalog();

/** A valid one-entry catalog to break one field at a time. */
function catalogWith(entry: Record<string, unknown>): unknown {
  return {
    version: 't',
    updatedAt: '2026-11-21',
    models: [
      {
        provider: 'openai',
        model: 'gpt-test',
        inputPerMTok: 1,
        outputPerMTok: 2,
        checkedAt: '2026-11-21',
        source: 'https://example.com/pricing',
        ...entry,
      },
    ],
  };
}

describe('bundled pricing catalog', () => {
  it('loads once and is frozen', () => {
    expect(loadPricingCatalog()).toBe(catalog);
    expect(Object.isFrozen(catalog.models)).toBe(true);
    expect(Object.isFrozen(catalog.models[0])).toBe(true);
  });

  it('has at least 120 models', () => {
    expect(catalog.models.length).toBeGreaterThanOrEqual(120);
  });

  it.each([
    // The providers the design promises prices for, in OTel vocabulary.
    'openai',
    'anthropic',
    'gcp.gemini',
    'mistral_ai',
    'deepseek',
    'moonshot_ai',
    'x_ai',
    'cohere',
    'groq',
    'together',
    'fireworks',
    'aws.bedrock',
    'meta',
  ])('has models of %s', (provider) => {
    expect(catalog.models.some((entry) => entry.provider === provider)).toBe(true);
  });

  it('has a finite, non-negative price in every price field of every entry', () => {
    for (const entry of catalog.models) {
      for (const value of [
        entry.inputPerMTok,
        entry.outputPerMTok,
        entry.cacheReadPerMTok ?? 0,
        entry.cacheWritePerMTok ?? 0,
      ]) {
        expect(Number.isFinite(value) && value >= 0, `${entry.provider}/${entry.model}`).toBe(true);
      }
    }
  });

  it('prices cache reads below input wherever both exist', () => {
    // A cache read costing more than fresh input would be a typo (e.g. a swapped column).
    for (const entry of catalog.models) {
      if (entry.cacheReadPerMTok !== undefined) {
        expect(entry.cacheReadPerMTok, `${entry.provider}/${entry.model}`).toBeLessThan(entry.inputPerMTok);
      }
    }
  });

  it('uses no id or alias twice within a provider, even after normalization', () => {
    const seen = new Map<string, string>();
    for (const entry of catalog.models) {
      for (const id of [entry.model, ...(entry.aliases ?? [])]) {
        for (const key of new Set([id.toLowerCase(), normalizeModel(id)])) {
          const slot = `${entry.provider} ${key}`;
          expect(seen.get(slot), slot).toBeUndefined();
          seen.set(slot, entry.model);
        }
      }
    }
  });

  it('records a real checkedAt date no later than updatedAt, and an https source', () => {
    expect(catalog.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const entry of catalog.models) {
      expect(entry.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(new Date(`${entry.checkedAt}T00:00:00Z`).toISOString().slice(0, 10)).toBe(entry.checkedAt);
      expect(entry.checkedAt <= catalog.updatedAt).toBe(true);
      expect(entry.source).toMatch(/^https:\/\//);
    }
  });

  it('keeps the JSON file and the loaded catalog in step', () => {
    expect(catalog.models.length).toBe(raw.models.length);
    expect(catalog.version).toBe(raw.version);
  });
});

describe('loadPricingCatalog validation', () => {
  it.each([
    // Each case breaks one rule; the message must name the entry so a maintainer can fix it.
    ['a negative price', { inputPerMTok: -1 }, "'gpt-test' (openai) has inputPerMTok -1"],
    ['a price that is not a number', { outputPerMTok: '2' }, "'gpt-test' (openai) has outputPerMTok '2'"],
    ['an infinite price', { cacheReadPerMTok: Number.POSITIVE_INFINITY }, 'cacheReadPerMTok Infinity'],
    ['NaN as a price', { cacheWritePerMTok: Number.NaN }, 'cacheWritePerMTok NaN'],
    ['a missing required price', { inputPerMTok: undefined }, 'inputPerMTok missing'],
    ['an empty model id', { model: '' }, 'entry 0 has model'],
    ['an impossible checkedAt date', { checkedAt: '2026-02-30' }, "checkedAt '2026-02-30'"],
    ['a non-ISO checkedAt', { checkedAt: '21/11/2026' }, "checkedAt '21/11/2026'"],
    ['a missing source', { source: undefined }, 'source missing'],
    ['an alias that is not a string', { aliases: [42] }, 'aliases [42]'],
  ])('rejects %s', (_name, patch, fragment) => {
    try {
      loadPricingCatalog(catalogWith(patch));
      expect.unreachable('the catalog should have been rejected');
    } catch (error) {
      expect(isArgusError(error) && error.code).toBe('CONFIG_INVALID');
      expect((error as Error).message).toContain('Cannot load pricing catalog: ');
      expect((error as Error).message).toContain(fragment);
    }
  });

  it('rejects two entries of one provider that answer to the same id', () => {
    // gpt-4o-2024-08-06 as an alias of two entries would make the lookup depend on file order.
    const data = catalogWith({ aliases: ['gpt-shared'] }) as { models: Record<string, unknown>[] };
    data.models.push({ ...data.models[0], model: 'gpt-other' });
    expect(() => loadPricingCatalog(data)).toThrow(
      /'gpt-other' \(openai\) and 'gpt-test' both answer to 'gpt-shared'/,
    );
  });

  it('allows the same id under different providers', () => {
    // Hosts (together, groq) list the same open model; provider decides which price applies.
    const data = catalogWith({}) as { models: Record<string, unknown>[] };
    data.models.push({ ...data.models[0], provider: 'together' });
    expect(loadPricingCatalog(data).models).toHaveLength(2);
  });

  it.each([
    ['not an object', [], 'not a JSON object'],
    ['no version', { updatedAt: '2026-01-01', models: [] }, "'version' is missing"],
    ['no models array', { version: '1', updatedAt: '2026-01-01', models: {} }, "'models' is {}"],
  ])('rejects a catalog that is %s', (_name, data, fragment) => {
    expect(() => loadPricingCatalog(data)).toThrow(fragment);
  });
});
