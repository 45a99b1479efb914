import { describe, expect, it } from 'vitest';
import { wordDiff } from './word-diff.ts';

describe('wordDiff', () => {
  it('marks the swapped word and keeps the rest', () => {
    expect(wordDiff('Answer in French please', 'Answer in English please')).toEqual([
      { kind: 'same', text: 'Answer in ' },
      { kind: 'added', text: 'English ' },
      { kind: 'removed', text: 'French ' },
      { kind: 'same', text: 'please' },
    ]);
  });

  it('rebuilds both texts from the parts', () => {
    const before = 'Bien sûr ! Voici ma réponse.';
    const after = 'Thanks for asking about that. Voici ma réponse.';
    const parts = wordDiff(before, after);
    expect(
      parts
        .filter((p) => p.kind !== 'added')
        .map((p) => p.text)
        .join(''),
    ).toBe(before);
    expect(
      parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe(after);
  });
});
