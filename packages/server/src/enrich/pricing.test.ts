import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.ts';
import { findPrice, loadPricingCatalog, type PriceOverride } from './pricing.ts';

const catalog = loadPricingCatalog();

/** The catalog id a lookup resolves to, or undefined. */
function resolve(provider: string, model: string, overrides?: PriceOverride[]): string | undefined {
  return findPrice(catalog, { provider, model }, overrides)?.model;
}

describe('findPrice: model families that share a prefix', () => {
  it.each([
    // The classic confusions: a shorter id must never price a longer variant and vice versa.
    ['gpt-4', 'gpt-4'],
    ['gpt-4-0613', 'gpt-4'],
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4.1', 'gpt-4.1'],
    ['gpt-4.1-mini', 'gpt-4.1-mini'],
    ['gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
    ['gpt-4.1-nano', 'gpt-4.1-nano'],
    ['gpt-4-turbo-2024-04-09', 'gpt-4-turbo'],
    // gpt-4-1106-preview is GPT-4 Turbo, not GPT-4 (a third of the price).
    ['gpt-4-1106-preview', 'gpt-4-turbo'],
    ['o1', 'o1'],
    ['o1-mini', 'o1-mini'],
    ['o1-mini-2024-09-12', 'o1-mini'],
    ['o1-2024-12-17', 'o1'],
    ['o1-preview', 'o1'],
    ['o1-pro', 'o1-pro'],
    ['o3', 'o3'],
    ['o3-mini', 'o3-mini'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['o3-pro', 'o3-pro'],
    ['o4-mini-2025-04-16', 'o4-mini'],
    ['gpt-5', 'gpt-5'],
    ['gpt-5-mini', 'gpt-5-mini'],
    ['gpt-5-nano-2025-08-07', 'gpt-5-nano'],
    ['gpt-5-chat-latest', 'gpt-5'],
    ['gpt-5.1-codex-mini', 'gpt-5.1-codex-mini'],
    // The first gpt-4o snapshot has its own (higher) price.
    ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-opus-4-5-20251101', 'claude-opus-4-5'],
    ['gemini-2.5-flash', 'gemini-2.5-flash'],
    ['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite'],
    ['gemini-2.0-flash-lite-001', 'gemini-2.0-flash-lite'],
    ['grok-3-mini-beta', 'grok-3-mini'],
    ['command-r-plus-08-2024', 'command-r-plus'],
    ['command-r-08-2024', 'command-r'],
  ])('%s → %s', (model, expected) => {
    expect(resolve('openai', model) ?? resolve('', model)).toBe(expected);
  });

  it.each([
    // Variants the catalog does not list must stay unpriced rather than borrow a sibling's price.
    'gpt-4o-mini-realtime-preview',
    'gpt-4o-audio-preview',
    'gpt-4-vision-preview',
    'gpt-4.1-mega',
    'gemini-2.5-flash-image-preview',
    // A future Opus 4.9 must not be priced as Opus 4 (three times the price of 4.5+).
    'claude-opus-4-9',
    'claude-sonnet-4-7',
    'ft:gpt-4o-mini-2024-07-18:acme::abc123',
    'my-local-model',
    '',
    '   ',
  ])('leaves %j unpriced', (model) => {
    expect(findPrice(catalog, { provider: 'openai', model })).toBeUndefined();
  });
});

describe('findPrice: what instrumentations send', () => {
  it.each([
    // [why, provider, model as sent, expected catalog id, expected provider of the price]
    ['case and whitespace', 'openai', '  GPT-4o-Mini ', 'gpt-4o-mini', 'openai'],
    ['OpenRouter/LiteLLM route prefix', '', 'openai/gpt-4o', 'gpt-4o', 'openai'],
    ['Gemini resource name', 'gcp.gemini', 'models/gemini-1.5-pro', 'gemini-1.5-pro', 'gcp.gemini'],
    ['Gemini numbered release', 'gemini', 'gemini-1.5-pro-002', 'gemini-1.5-pro', 'gcp.gemini'],
    ['Gemini preview date', 'google', 'gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash', 'gcp.gemini'],
    [
      'Vertex publisher path',
      'gcp.vertex_ai',
      'publishers/google/models/gemini-2.5-pro',
      'gemini-2.5-pro',
      'gcp.gemini',
    ],
    [
      'Vertex Claude @date',
      'gcp.vertex_ai',
      'claude-3-5-sonnet-v2@20241022',
      'claude-3-5-sonnet',
      'anthropic',
    ],
    ['Anthropic dated id', 'anthropic', 'claude-sonnet-4-20250514', 'claude-sonnet-4', 'anthropic'],
    ['Anthropic -latest alias', 'anthropic', 'claude-3-5-sonnet-latest', 'claude-3-5-sonnet', 'anthropic'],
    ['Anthropic 4.5 dated', 'anthropic', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', 'anthropic'],
    [
      'Bedrock model id',
      'aws.bedrock',
      'anthropic.claude-3-5-sonnet-20241022-v2:0',
      'claude-3-5-sonnet',
      'anthropic',
    ],
    [
      'Bedrock cross-region profile',
      'aws.bedrock',
      'us.anthropic.claude-sonnet-4-20250514-v1:0',
      'claude-sonnet-4',
      'anthropic',
    ],
    [
      'Bedrock global profile',
      'bedrock',
      'global.anthropic.claude-haiku-4-5-20251001-v1:0',
      'claude-haiku-4-5',
      'anthropic',
    ],
    [
      'Bedrock Llama',
      'aws.bedrock',
      'meta.llama3-3-70b-instruct-v1:0',
      'meta.llama3-3-70b-instruct-v1:0',
      'aws.bedrock',
    ],
    [
      'Bedrock Llama via profile',
      'aws.bedrock',
      'us.meta.llama4-maverick-17b-instruct-v1:0',
      'meta.llama4-maverick-17b-instruct-v1:0',
      'aws.bedrock',
    ],
    [
      'Fireworks account path',
      'fireworks',
      'accounts/fireworks/models/llama-v3p1-70b-instruct',
      'accounts/fireworks/models/llama-v3p1-70b-instruct',
      'fireworks',
    ],
    [
      'Fireworks bare id',
      'fireworks_ai',
      'llama-v3p1-70b-instruct',
      'accounts/fireworks/models/llama-v3p1-70b-instruct',
      'fireworks',
    ],
    [
      'Together HF-style id',
      'together',
      'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'together',
    ],
    [
      'Together id, provider unknown',
      '',
      'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'together',
    ],
    ['Groq id', 'groq', 'llama-3.3-70b-versatile', 'llama-3.3-70b-versatile', 'groq'],
    [
      'LiteLLM groq prefix',
      '',
      'groq/meta-llama/llama-4-scout-17b-16e-instruct',
      'meta-llama/llama-4-scout-17b-16e-instruct',
      'groq',
    ],
    [
      'same open model on two hosts: provider decides',
      'together',
      'moonshotai/kimi-k2-instruct',
      'moonshotai/Kimi-K2-Instruct',
      'together',
    ],
    [
      'same open model on two hosts: groq',
      'groq',
      'moonshotai/kimi-k2-instruct',
      'moonshotai/kimi-k2-instruct-0905',
      'groq',
    ],
    [
      'Meta Llama API',
      'meta',
      'Llama-4-Maverick-17B-128E-Instruct-FP8',
      'Llama-4-Maverick-17B-128E-Instruct-FP8',
      'meta',
    ],
    ['DeepSeek first party', 'deepseek', 'deepseek-chat', 'deepseek-chat', 'deepseek'],
    [
      'DeepSeek R1 on Together',
      'together_ai',
      'deepseek-ai/DeepSeek-R1',
      'deepseek-ai/DeepSeek-R1',
      'together',
    ],
    ['Kimi', 'moonshot', 'kimi-k2-0905-preview', 'kimi-k2-0905-preview', 'moonshot_ai'],
    ['xAI dated', 'xai', 'grok-4-0709', 'grok-4', 'x_ai'],
    [
      'Mistral -latest moved to Large 3',
      'mistralai',
      'mistral-large-latest',
      'mistral-large-2512',
      'mistral_ai',
    ],
    ['Mistral dated Large 2', 'mistral_ai', 'mistral-large-2411', 'mistral-large', 'mistral_ai'],
    ['Cohere embed', 'cohere', 'embed-v4.0', 'embed-v4.0', 'cohere'],
    ['OpenAI embeddings', 'openai', 'text-embedding-3-small', 'text-embedding-3-small', 'openai'],
    ['Azure spelling of gpt-3.5', 'azure.ai.openai', 'gpt-35-turbo', 'gpt-3.5-turbo', 'openai'],
    [
      'provider says openai, model is Claude (proxy)',
      'openai',
      'claude-3-haiku-20240307',
      'claude-3-haiku',
      'anthropic',
    ],
    ['unknown provider, model alone', 'some-gateway', 'gpt-4.1-nano-2025-04-14', 'gpt-4.1-nano', 'openai'],
  ])('%s', (_why, provider, model, expectedModel, expectedProvider) => {
    const price = findPrice(catalog, { provider, model });
    expect(price?.model).toBe(expectedModel);
    expect(price?.provider).toBe(expectedProvider);
  });

  it('returns real list prices', () => {
    expect(findPrice(catalog, { provider: 'openai', model: 'gpt-4o' })).toMatchObject({
      inputPerMTok: 2.5,
      outputPerMTok: 10,
      cacheReadPerMTok: 1.25,
    });
    expect(findPrice(catalog, { provider: 'anthropic', model: 'claude-sonnet-4-5' })).toMatchObject({
      inputPerMTok: 3,
      outputPerMTok: 15,
      cacheReadPerMTok: 0.3,
      cacheWritePerMTok: 3.75,
    });
  });

  it('memoizes: the same query returns the same object', () => {
    const first = findPrice(catalog, { provider: 'openai', model: 'gpt-4o-mini-2024-07-18' });
    expect(findPrice(catalog, { provider: 'openai', model: 'gpt-4o-mini-2024-07-18' })).toBe(first);
  });
});

describe('BoundedCache', () => {
  it('evicts the least recently used key at its size cap', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // touch a: b is now the oldest
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.has('b')).toBe(false);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });
});
