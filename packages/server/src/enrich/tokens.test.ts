import { createRequire } from 'node:module';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { describe, expect, it } from 'vitest';
import {
  encodingForModel,
  estimateTokens,
  MAX_EXACT_CHARS,
  messagesText,
  preloadTokenizers,
} from './tokens.ts';

describe('estimateTokens', () => {
  it.each([
    // Counts checked against tiktoken; the first two are the examples in OpenAI's cookbook.
    ['hello world', 'gpt-3.5-turbo', 2],
    ['tiktoken is great!', 'gpt-4', 6],
    ['hello world', 'gpt-4o', 2],
    ['The quick brown fox jumps over the lazy dog.', 'gpt-4o-mini', 10],
    ['The quick brown fox jumps over the lazy dog.', 'claude-sonnet-4-5', 10],
    // The two vocabularies differ on non-Latin text: proves the model picks the encoding.
    ['日本語のテキスト', 'gpt-4', 8],
    ['日本語のテキスト', 'gpt-4o', 6],
    ['日本語のテキスト', 'o3-mini', 6],
    // Special-token text in user content must be counted, not throw.
    ['<|endoftext|>', 'gpt-4o', 7],
    ['', 'gpt-4o', 0],
  ])('%j with %s is %i tokens', (text, model, expected) => {
    expect(estimateTokens(text, model)).toBe(expected);
  });

  it('preloads both vocabularies without changing counts', () => {
    preloadTokenizers();
    expect(estimateTokens('hello world', 'gpt-4o')).toBe(2);
  });

  it.each([
    // Issue 11: each of these held the event loop for seconds to minutes with js-tiktoken's merge
    // (15,000 × 'Z' 11 s, 20,000 CJK characters 396 s); the counts are what tiktoken gives.
    ['Z'.repeat(15_000), 'gpt-4o', 7_500],
    ['Z'.repeat(100_000), 'gpt-4o', 50_000],
    ['中'.repeat(20_000), 'gpt-4o', 20_000],
    ['7'.repeat(30_000), 'gpt-4', 10_000],
  ])('counts a pathological run of %#', (text, model, expected) => {
    expect(estimateTokens(text, model)).toBe(expected);
  });

  it('uses cl100k when no model is given', () => {
    expect(estimateTokens('日本語のテキスト')).toBe(8);
  });

  it('estimates texts over the limit from samples, close to the exact count', () => {
    // Varied sentences so the samples are not trivially periodic.
    const words = [
      'alpha',
      'observability',
      'latency',
      'token',
      'Kubernetes',
      'trace',
      'über',
      '42',
      'span-id',
    ];
    let text = '';
    for (let i = 0; text.length < MAX_EXACT_CHARS * 1.6; i++) {
      text += `${words[i % words.length]} ${words[(i * 7) % words.length]}${i % 11 === 0 ? '.\n' : ', '}`;
    }
    expect(text.length).toBeGreaterThan(MAX_EXACT_CHARS);
    const exact = exactCount(text, 'o200k_base');
    expect(Math.abs(estimateTokens(text, 'gpt-4o') - exact) / exact).toBeLessThan(0.02);
  });

  it('counts a text of exactly the limit exactly', () => {
    // The boundary belongs to the exact path: no sampling error at the limit.
    const text = 'Observability for LLM apps. '.repeat(MAX_EXACT_CHARS / 20).slice(0, MAX_EXACT_CHARS);
    expect(estimateTokens(text, 'gpt-4')).toBe(exactCount(text, 'cl100k_base'));
  });
});

const reference = new Map<string, Tiktoken>();

/** Token count straight from js-tiktoken, bypassing the estimator. */
function exactCount(text: string, encoding: 'o200k_base' | 'cl100k_base'): number {
  let encoder = reference.get(encoding);
  if (encoder === undefined) {
    const require = createRequire(import.meta.url);
    encoder = new Tiktoken(require(`js-tiktoken/ranks/${encoding}`) as TiktokenBPE);
    reference.set(encoding, encoder);
  }
  return encoder.encode(text, [], []).length;
}

describe('encodingForModel', () => {
  it.each([
    // OpenAI's o200k families, however the instrumentation spells them.
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['openai/gpt-4.1-nano', 'o200k_base'],
    ['gpt-5-mini', 'o200k_base'],
    ['o1', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['GPT-4O', 'o200k_base'],
    // Everything else: cl100k (exact for gpt-4/3.5, an approximation for other vendors).
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
    ['claude-3-5-sonnet', 'cl100k_base'],
    ['llama-3.3-70b-versatile', 'cl100k_base'],
    ['omni-moderation-latest', 'cl100k_base'],
    [undefined, 'cl100k_base'],
  ])('%s → %s', (model, expected) => {
    expect(encodingForModel(model)).toBe(expected);
  });
});

describe('messagesText', () => {
  it.each([
    // [why, value, expected text]
    ['plain string (non-LLM span input)', 'just text', 'just text'],
    ['nothing', undefined, ''],
    ['a number', 42, '42'],
    [
      'normalized chat messages',
      [
        { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', content: 'think' },
            { type: 'text', content: 'Hello' },
          ],
        },
      ],
      'Hi\nthink\nHello',
    ],
    ['OTel system_instructions (bare parts)', [{ type: 'text', content: 'Be brief.' }], 'Be brief.'],
    [
      'tool call and tool result parts',
      [
        {
          role: 'assistant',
          parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }],
        },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'sunny' }] },
      ],
      'get_weather\n{"city":"Paris"}\nsunny',
    ],
    [
      'binary parts are skipped',
      [
        {
          role: 'user',
          parts: [
            { type: 'blob', content: 'iVBORw0KGgo=' },
            { type: 'text', content: 'what is this?' },
          ],
        },
      ],
      'what is this?',
    ],
    ['provider-style message with string content', { role: 'user', content: 'raw' }, 'raw'],
    [
      'provider-style content parts, image skipped',
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'data:...' } },
        ],
      },
      'look',
    ],
    ['embedding inputs', ['first', 'second'], 'first\nsecond'],
    ['other objects as JSON', { query: 'refund policy', k: 3 }, '{"query":"refund policy","k":3}'],
  ])('%s', (_why, value, expected) => {
    expect(messagesText(value)).toBe(expected);
  });

  it('does not throw on cyclic values', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(
      messagesText([{ role: 'user', parts: [{ type: 'tool_call', name: 'f', arguments: cyclic }] }]),
    ).toBe('f');
  });
});
