import { describe, expect, it } from 'vitest';
import { MAX_PARSED_TOKENS, parseLogprobs } from './parse.ts';

const chat = [
  {
    token: 'Hi',
    logprob: -0.1,
    top_logprobs: [
      { token: 'Hi', logprob: -0.1 },
      { token: 'Hello', logprob: -2.5 },
    ],
  },
  { token: '!', logprob: -1.2, top_logprobs: [] },
];

describe('parseLogprobs', () => {
  it.each([
    // The SDK's `logprobs.content` and OpenAI chat `choices[].logprobs.content` entries.
    ['chat entries', chat],
    // The object OpenAI puts on a chat choice.
    ['chat choice object', { content: chat, refusal: null }],
    // Instrumentation that sends the attribute as JSON text.
    ['JSON text', JSON.stringify(chat)],
  ])('reads %s', (_, payload) => {
    const parsed = parseLogprobs(payload);
    expect(parsed).toEqual({
      ok: true,
      skipped: 0,
      tokens: [
        {
          token: 'Hi',
          logprob: -0.1,
          top: [
            { token: 'Hi', logprob: -0.1 },
            { token: 'Hello', logprob: -2.5 },
          ],
        },
        { token: '!', logprob: -1.2, top: [] },
      ],
    });
  });

  it('reads the legacy completions shape, skipping the unpredicted first echo token', () => {
    const parsed = parseLogprobs({
      tokens: ['The', ' cat', ' sat'],
      token_logprobs: [null, -3, -0.5],
      top_logprobs: [null, { ' dog': -1, ' cat': -3 }, { ' sat': -0.5 }],
    });
    expect(parsed).toEqual({
      ok: true,
      skipped: 0,
      tokens: [
        {
          token: ' cat',
          logprob: -3,
          top: [
            { token: ' dog', logprob: -1 },
            { token: ' cat', logprob: -3 },
          ],
        },
        { token: ' sat', logprob: -0.5, top: [{ token: ' sat', logprob: -0.5 }] },
      ],
    });
  });

  it('reads a plain list of numbers (local models that keep no token text)', () => {
    const parsed = parseLogprobs([-0.5, -1.5]);
    expect(parsed).toMatchObject({ ok: true, tokens: [{ logprob: -0.5 }, { logprob: -1.5 }] });
  });

  it('skips and counts entries without a finite logprob ≤ 0, and clamps rounding above 0', () => {
    const parsed = parseLogprobs([
      { token: 'a', logprob: -1 },
      { token: 'b', logprob: 0.5 },
      { token: 'c', logprob: 'x' },
      { token: 'd', logprob: 1e-8 },
      null,
    ]);
    expect(parsed).toEqual({
      ok: true,
      skipped: 3,
      tokens: [
        { token: 'a', logprob: -1, top: [] },
        { token: 'd', logprob: 0, top: [] },
      ],
    });
  });

  it.each([
    ['text that is not JSON', '{"content": [', 'is not valid JSON'],
    ['deeply nested JSON', `${'['.repeat(200_000)}${']'.repeat(200_000)}`, 'Cannot read logprobs'],
    ['a number', 3, 'is number; expected a list of token logprobs'],
    ['null', null, 'is null'],
    ['an object of another shape', { foo: 1 }, 'without a `content` or `token_logprobs` list'],
    ['an empty list', [], 'has no tokens'],
    ['entries without logprobs', [{ token: 'a' }], 'has no token with a finite logprob ≤ 0'],
    ['too many tokens', new Array(MAX_PARSED_TOKENS + 1).fill(-1), `the most is ${MAX_PARSED_TOKENS}`],
  ])('answers a clear error for %s', (_, payload, message) => {
    const parsed = parseLogprobs(payload);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatch(/^Cannot read logprobs: the payload /);
      expect(parsed.error).toContain(message);
    }
  });

  it('reads at most 20 alternatives per token', () => {
    const top = Array.from({ length: 30 }, (_, i) => ({ token: `t${i}`, logprob: -i - 1 }));
    const parsed = parseLogprobs([{ token: 'x', logprob: -0.1, top_logprobs: top }]);
    expect(parsed.ok && parsed.tokens[0]?.top).toHaveLength(20);
  });
});
