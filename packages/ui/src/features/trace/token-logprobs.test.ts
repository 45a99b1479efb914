import { describe, expect, it } from 'vitest';
import type { Span } from '../../api-types.ts';
import { formatProbability, tintOf, tokenLogprobsOf } from './token-logprobs.ts';

const span = (events: unknown[]) => ({ events }) as unknown as Pick<Span, 'events'>;
const event = (attributes: Record<string, unknown>) => ({ name: 'gen_ai.choice.logprobs', attributes });

describe('tokenLogprobsOf', () => {
  it('reads the stored list, and JSON text from spans stored before lists were kept', () => {
    const content = [{ token: 'Hi', logprob: -0.1, top_logprobs: [{ token: 'Hi', logprob: -0.1 }] }];
    for (const value of [content, JSON.stringify(content)]) {
      expect(tokenLogprobsOf(span([event({ 'gen_ai.choice.index': 0, 'logprobs.content': value })]))).toEqual(
        [
          {
            index: 0,
            dropped: 0,
            tokens: [{ token: 'Hi', logprob: -0.1, top: [{ token: 'Hi', logprob: -0.1 }] }],
          },
        ],
      );
    }
  });

  it('orders choices and reports dropped tokens', () => {
    const result = tokenLogprobsOf(
      span([
        event({
          'gen_ai.choice.index': 1,
          'logprobs.content': [{ token: 'b', logprob: -1 }],
          'logprobs.dropped': 7,
        }),
        event({ 'gen_ai.choice.index': 0, 'logprobs.content': [{ token: 'a', logprob: -2 }] }),
      ]),
    );
    expect(result.map((c) => [c.index, c.dropped])).toEqual([
      [0, 0],
      [1, 7],
    ]);
  });

  it.each([
    // Truncated JSON of an old span, a mean-only event, junk entries, another event.
    ['broken JSON', [event({ 'logprobs.content': '[{"token":' })]],
    ['mean only', [event({ 'logprobs.mean': -0.2, 'logprobs.count': 3 })]],
    ['junk entries', [event({ 'logprobs.content': [null, 3, { token: 'x' }, { logprob: 'y' }] })]],
    [
      'other events',
      [{ name: 'exception', attributes: { 'logprobs.content': [{ token: 'x', logprob: -1 }] } }],
    ],
  ])('returns nothing for %s', (_, events) => {
    expect(tokenLogprobsOf(span(events))).toEqual([]);
  });
});

describe('heatmap formatting', () => {
  it('tints unlikely tokens red and certain ones green and faint', () => {
    expect(tintOf(0)).toBe('hsla(0, 75%, 50%, 0.58)');
    expect(tintOf(1)).toBe('hsla(120, 75%, 50%, 0.08)');
  });

  it('formats probabilities', () => {
    expect(formatProbability(1)).toBe('100 %');
    expect(formatProbability(0.995)).toBe('99.5 %');
    expect(formatProbability(0.42)).toBe('42 %');
    expect(formatProbability(0.031)).toBe('3.1 %');
    expect(formatProbability(0.0031)).toBe('0.31 %');
  });
});
