import { describe, expect, it } from 'vitest';
import { findPrice, loadPricingCatalog, type PriceOverride } from './pricing.ts';

const catalog = loadPricingCatalog();

describe('findPrice: per-project overrides', () => {
  const overrides: PriceOverride[] = [
    { model: 'gpt-4o', inputPerMTok: 1, outputPerMTok: 4 },
    {
      model: 'claude-sonnet-4-5',
      provider: 'aws.bedrock',
      inputPerMTok: 3.3,
      outputPerMTok: 16.5,
      cacheReadPerMTok: 0.33,
    },
    { model: 'acme/*', inputPerMTok: 0.5, outputPerMTok: 0.5 },
    { model: 'acme/big-*', inputPerMTok: 5, outputPerMTok: 5 },
  ];

  it.each([
    // [why, provider, model, expected input price]
    ['an override wins over the catalog', 'openai', 'gpt-4o', 1],
    ['it also covers dated snapshots of its id', 'openai', 'gpt-4o-2024-11-20', 1],
    ['it does not leak to a longer variant', 'openai', 'gpt-4o-mini', 0.15],
    [
      'a provider-scoped override applies to that provider',
      'bedrock',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      3.3,
    ],
    ['…and not to others', 'anthropic', 'claude-sonnet-4-5', 3],
    ['a * prefix prices private models', '', 'acme/support-bot-v7', 0.5],
    ['the longest * prefix wins', '', 'acme/big-reasoner', 5],
    ['unmatched models fall through to the catalog', 'openai', 'o3', 2],
  ])('%s', (_why, provider, model, expectedInput) => {
    expect(findPrice(catalog, { provider, model }, overrides)?.inputPerMTok).toBe(expectedInput);
  });

  it('keeps optional cache prices of an override', () => {
    const price = findPrice(catalog, { provider: 'aws.bedrock', model: 'claude-sonnet-4-5' }, overrides);
    expect(price).toEqual({
      provider: 'aws.bedrock',
      model: 'claude-sonnet-4-5',
      inputPerMTok: 3.3,
      outputPerMTok: 16.5,
      cacheReadPerMTok: 0.33,
    });
  });

  it.each([
    // A bad override must fail loudly with its position, not price spans at NaN.
    [
      { model: 'x', inputPerMTok: -1, outputPerMTok: 1 },
      'Cannot use price override 0: it has inputPerMTok -1',
    ],
    [{ model: 'x', inputPerMTok: 1, outputPerMTok: Number.NaN }, 'outputPerMTok NaN'],
    [{ model: ' ', inputPerMTok: 1, outputPerMTok: 1 }, "model ' '"],
    [{ model: '*', inputPerMTok: 1, outputPerMTok: 1 }, "model '*'"],
  ])('rejects %j', (override, message) => {
    expect(() => findPrice(catalog, { model: 'gpt-4o' }, [override as PriceOverride])).toThrow(message);
  });
});
