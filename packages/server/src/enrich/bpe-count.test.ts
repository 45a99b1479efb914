import { createRequire } from 'node:module';
import fc from 'fast-check';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { describe, expect, it } from 'vitest';
import { type BpeRanks, createBpeCounter } from './bpe-count.ts';

const require = createRequire(import.meta.url);
const ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
const ranks = Object.fromEntries(
  ENCODINGS.map((name) => [name, require(`js-tiktoken/ranks/${name}`) as TiktokenBPE & BpeRanks]),
);
// js-tiktoken is the reference: the counter must give exactly its counts, only faster.
const reference = Object.fromEntries(ENCODINGS.map((name) => [name, new Tiktoken(ranks[name]!)]));
const counters = Object.fromEntries(ENCODINGS.map((name) => [name, createBpeCounter(ranks[name]!)]));

function expectSameCount(text: string): void {
  for (const name of ENCODINGS) {
    expect(counters[name]!.count(text), `${name}: ${JSON.stringify(text.slice(0, 80))}`).toBe(
      reference[name]!.encode(text, [], []).length,
    );
  }
}

describe('createBpeCounter', () => {
  it.each([
    ['empty', ''],
    ['English', 'The quick brown fox jumps over the lazy dog.'],
    ['contractions and numbers', "I'm sure they'll pay 1234567 dollars, aren't they?"],
    ['whitespace runs', 'a  b\t\tc\n\n\n   d     \r\n e'],
    ['Chinese sentences', '我们的退货政策是三十天内可以无理由退货，请保留好您的购物凭证。'],
    ['Japanese and emoji', '日本語のテキスト 😀👍🏽 ok'],
    ['special-token text', '<|endoftext|> and <|im_start|>'],
    ['code', 'function f(x) { return x.map((y) => y * 2).filter(Boolean); }'],
    // Long single pieces: where the merge order (lowest rank, leftmost first) decides the count.
    ['a run of one letter', 'Z'.repeat(1_500)],
    ['a run of CJK', '中文字'.repeat(150)],
    ['base64', Buffer.from(Array.from({ length: 3_000 }, (_, i) => (i * 37) % 256)).toString('base64')],
    ['digits', '7'.repeat(999)],
    ['a long URL', `https://example.com/${'segment/'.repeat(100)}?q=${'x'.repeat(300)}`],
  ])('counts %s exactly as tiktoken', (_, text) => {
    expectSameCount(text);
  });

  it('counts any string exactly as tiktoken (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => expectSameCount(text)),
      { numRuns: 300 },
    );
  });

  it('counts runs of repeated characters exactly as tiktoken (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 300 }),
        (unit, times) => expectSameCount(unit.repeat(times)),
      ),
      { numRuns: 200 },
    );
  });

  it('reads rank files of several lines, and a token listed twice keeps its later rank', () => {
    const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
    // a b c d = 0-3, "ab" = 4, "bc" = 5, "ab" again = 6, "cd" = 7.
    const counter = createBpeCounter({
      pat_str: '\\S+',
      bpe_ranks: [
        `! 0 ${b64('a')} ${b64('b')} ${b64('c')} ${b64('d')} ${b64('ab')}`,
        `! 5 ${b64('bc')} ${b64('ab')} ${b64('cd')}`,
        '',
      ].join('\n'),
    });
    expect(counter.count('ab')).toBe(1);
    // With "ab" at 6, "bc" merges first: a + bc + d. Had "ab" kept 4, it would be ab + cd.
    expect(counter.count('abcd')).toBe(3);
    expect(counter.count('cd ab x')).toBe(3);
    expect(counter.count('')).toBe(0);
  });
});
