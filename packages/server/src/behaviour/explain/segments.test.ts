import { describe, expect, it } from 'vitest';
import { mergeSegments, segmentPrompt, substitute, withoutSegments } from './segments.ts';

const messages = [
  { role: 'system' as const, content: 'You are a travel agent. Be brief.' },
  { role: 'user' as const, content: 'I go to Lyon in May. What should I pack? Answer in French.' },
];

describe('segmentPrompt', () => {
  // Each granularity cuts the same prompt differently.
  it.each([
    ['message', 2],
    ['sentence', 5],
    ['token-window', 6],
  ] as const)('%s → %i segments', (granularity, count) => {
    const segments = segmentPrompt(messages, granularity, { windowWords: 4 });
    expect(segments).toHaveLength(count);
    for (const s of segments) {
      const r = s.ranges[0]!;
      expect(messages[r.messageIndex]!.content.slice(r.start, r.end).trim()).toBe(s.text);
    }
  });

  it('finds retrieved documents in the prompt, and refuses when none is there', () => {
    const withDocs = [
      { role: 'system' as const, content: 'Notes:\nLyon is rainy in May.\nPack an umbrella always.' },
      messages[1]!,
    ];
    const segments = segmentPrompt(withDocs, 'document', {
      documents: ['Lyon is rainy in May.', 'Not in the prompt at all.'],
    });
    expect(segments.map((s) => s.text)).toEqual(['Lyon is rainy in May.']);
    expect(() => segmentPrompt(messages, 'document', { documents: ['elsewhere entirely'] })).toThrow(
      /retrieved document/,
    );
  });

  it('refuses a prompt with one segment', () => {
    expect(() => segmentPrompt([{ role: 'user', content: 'Hi there' }], 'sentence')).toThrow(/at least 2/);
  });
});

describe('withoutSegments', () => {
  it('cuts removed sentences, drops emptied messages and keeps a user turn', () => {
    const segments = segmentPrompt(messages, 'sentence');
    expect(withoutSegments(messages, segments, new Set([4]))[1]!.content).toBe(
      'I go to Lyon in May. What should I pack?',
    );
    const noSystem = withoutSegments(messages, segments, new Set([0, 1]));
    expect(noSystem.map((m) => m.role)).toEqual(['user']);
    expect(withoutSegments(messages, segments, new Set([2, 3, 4])).at(-1)).toEqual({
      role: 'user',
      content: '.',
    });
  });

  it('merges neighbours to fit a budget, keeping every range', () => {
    const merged = mergeSegments(segmentPrompt(messages, 'sentence'), 2);
    expect(merged).toHaveLength(2);
    expect(merged.flatMap((s) => s.ranges)).toHaveLength(5);
  });
});

describe('substitute', () => {
  it('swaps in one pass, whole words only, keeping a capital', () => {
    const { messages: out, count } = substitute(
      [{ role: 'user', content: 'He said she would call; the shepherd heard him.' }],
      [
        { from: 'he', to: 'she' },
        { from: 'she', to: 'he' },
      ],
    );
    expect(out[0]!.content).toBe('She said he would call; the shepherd heard him.');
    expect(count).toBe(2);
  });
});
