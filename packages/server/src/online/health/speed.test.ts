/**
 * The output-health checks read words as numbers and count scripts in arrays (issue 20, CPU per
 * ingested span): they must answer exactly as the straightforward versions they replaced
 * (commit ef33e1e), copied here as the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLanguage, proseOf, STOPWORDS, scriptOf } from './language.ts';
import { repetitionOf } from './repetition.ts';

function referenceRepetition(text: string): string | undefined {
  const head = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const words = head.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (let period = 1; period <= 40; period++) {
    let run = 0;
    for (let i = 0; i + period < words.length; i++) {
      run = words[i] === words[i + period] ? run + 1 : 0;
      const copies = Math.floor(run / period) + 1;
      if (copies >= 4 && run + period >= 12)
        return `a block of ${period} word${period === 1 ? '' : 's'} repeats ${copies} times in a row`;
    }
  }
  if (/(.)\1{60,}/su.test(head.replace(/[\s\-=_*#.|]/g, '')))
    return 'one character repeats more than 60 times';
  if (words.length >= 80) {
    const seen = new Set<string>();
    let duplicates = 0;
    const total = words.length - 6 + 1;
    for (let i = 0; i < total; i++) {
      const key = words.slice(i, i + 6).join(' ');
      if (seen.has(key)) duplicates++;
      else seen.add(key);
    }
    if (duplicates / total > 0.6)
      return `${Math.round((100 * duplicates) / total)} % of its 6-word runs are repeats`;
  }
  return undefined;
}

function referenceScriptOfCode(c: number): string | undefined {
  if (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  )
    return 'latin';
  if (c < 0x370) return undefined;
  if (c <= 0x3ff) return 'el';
  if (c <= 0x52f) return c >= 0x400 ? 'ru' : undefined;
  if (c >= 0x590 && c <= 0x5ff) return 'he';
  if (c >= 0x600 && c <= 0x6ff) return 'ar';
  if (c >= 0x900 && c <= 0x97f) return 'hi';
  if (c >= 0xe00 && c <= 0xe7f) return 'th';
  if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f) || (c >= 0xac00 && c <= 0xd7af))
    return 'ko';
  if (c >= 0x3040 && c <= 0x30ff) return 'kana';
  if ((c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff)) return 'zh';
  return undefined;
}

function referenceScriptOf(text: string): string | undefined {
  const counts = new Map<string, number>();
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const script = referenceScriptOfCode(text.charCodeAt(i));
    if (script === undefined) continue;
    letters++;
    counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  const kana = counts.get('kana') ?? 0;
  counts.delete('kana');
  let best: [string, number] = ['latin', counts.get('latin') ?? 0];
  for (const [script, n] of counts) if (n > best[1]) best = [script, n];
  if (kana > 0 && (best[0] === 'zh' ? kana >= 0.1 * best[1] : kana > best[1])) best = ['ja', best[1] + kana];
  if (best[1] < 4 || best[1] < 0.6 * letters) return undefined;
  return best[0];
}

function referenceLatin(text: string): string | undefined {
  const sets = Object.entries(STOPWORDS).map(([lang, words]) => [lang, new Set(words)] as const);
  const words = text.toLowerCase().match(/[\p{L}'-]+/gu) ?? [];
  if (words.length < 6) return undefined;
  const hits = sets
    .map(([lang, set]) => [lang, words.filter((w) => set.has(w)).length] as const)
    .sort((a, b) => b[1] - a[1]);
  const [first, second] = hits;
  if (!first || first[1] < 3) return undefined;
  if (second && first[1] < 1.5 * second[1]) return undefined;
  return first[0];
}

function referenceDetect(text: string): string | undefined {
  const prose = proseOf(text.slice(0, 1000));
  const script = referenceScriptOf(prose);
  if (script !== 'latin') return script;
  return referenceLatin(prose);
}

const WORDS = ['the', 'The', 'loop', 'again', 'and', '42', 'é', 'ß', 'слово', '字', 'x', 'aaaa'];
/** Texts that loop (a block repeated), nearly loop, or are random. */
const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.array(fc.constantFrom(...WORDS), { maxLength: 200 }).map((w) => w.join(' ')),
  fc
    .tuple(
      fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 30 }),
    )
    .map(([block, copies]) => Array.from({ length: copies }, () => block.join(' ')).join(' ')),
  fc
    .tuple(
      fc.constantFrom(
        'a',
        '-',
        '=',
        'é',
        ' ',
        '\n',
        'a-',
        'a a',
        'b.',
        '😀',
        '\uD83D-\uDE00',
        '\u00a0x',
        'ab',
      ),
      fc.integer({ min: 20, max: 90 }),
      fc.string({ maxLength: 3 }),
    )
    .map(([c, n, tail]) => c.repeat(n) + tail),
);
const scripts = fc.string({
  unit: fc.constantFrom('a', 'Z', 'é', 'α', 'ж', 'א', 'ع', 'ह', 'ก', '한', 'か', 'カ', '字', '1', ' ', '×'),
  maxLength: 60,
});

describe('output-health checks answer as before', () => {
  it('repetitionOf, for any text', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(repetitionOf(value)).toBe(referenceRepetition(value));
      }),
      { numRuns: 3000 },
    );
  });
  it('detectLanguage, for any mix of function words', () => {
    const functionWords = Object.values(STOPWORDS).flatMap((list) => list.slice(0, 12));
    const prose = fc
      .array(fc.oneof(fc.constantFrom(...functionWords), fc.constantFrom('tokens', 'Refund', 'x')), {
        maxLength: 60,
      })
      .map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.oneof(prose, fc.string({ maxLength: 200 })), (value) => {
        expect(detectLanguage(value)).toBe(referenceDetect(value));
      }),
      { numRuns: 3000 },
    );
  });
  it('scriptOf, for any mix of scripts', () => {
    fc.assert(
      fc.property(scripts, (value) => {
        expect(scriptOf(value)).toBe(referenceScriptOf(value));
      }),
      { numRuns: 5000 },
    );
  });
});
