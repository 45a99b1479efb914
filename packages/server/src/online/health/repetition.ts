/**
 * Does a text loop? Two cheap tests on its words: a block of 1–40 words repeated back to back
 * at least four times (a generation stuck in a cycle), or, over a long text, most 6-word runs
 * being copies of others (a loop with small variations). Lists and tables of a normal answer
 * repeat a word or two per line, which neither test counts. Pure.
 */

import { isJsSpace } from '../../normalize/js-space.ts';

const MAX_PERIOD = 40;
const MIN_COPIES = 4;
const MIN_LOOP_WORDS = 12;
const SHINGLE = 6;
const MIN_SHINGLE_WORDS = 80;
const MAX_DUPLICATE_SHARE = 0.6;
const MAX_CHARS = 20_000;

/** A reason when the text loops, else undefined. */
export function repetitionOf(text: string): string | undefined {
  // A loop shows long before 20,000 characters; the rest is not read.
  const head = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  const words = wordIds(head.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const run = longestCycle(words);
  if (run)
    return `a block of ${run.period} word${run.period === 1 ? '' : 's'} repeats ${run.copies} times in a row`;
  if (hasLongRun(head)) return 'one character repeats more than 60 times';
  if (words.length >= MIN_SHINGLE_WORDS) {
    const total = words.length - SHINGLE + 1;
    const duplicates = repeatedShingles(words, total);
    if (duplicates / total > MAX_DUPLICATE_SHARE)
      return `${Math.round((100 * duplicates) / total)} % of its 6-word runs are repeats`;
  }
  return undefined;
}

/** Each word as a number, equal numbers for equal words (the tests compare words, never read them). */
function wordIds(words: readonly string[]): Int32Array {
  const ids = new Int32Array(words.length);
  const seen = new Map<string, number>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let id = seen.get(word);
    if (id === undefined) {
      id = seen.size;
      seen.set(word, id);
    }
    ids[i] = id;
  }
  return ids;
}

/** The shortest period whose back-to-back copies cover enough words. */
function longestCycle(words: Int32Array): { period: number; copies: number } | undefined {
  for (let period = 1; period <= MAX_PERIOD; period++) {
    let run = 0;
    for (let i = 0; i + period < words.length; i++) {
      run = words[i] === words[i + period] ? run + 1 : 0;
      const copies = Math.floor(run / period) + 1;
      if (copies >= MIN_COPIES && run + period >= MIN_LOOP_WORDS) return { period, copies };
    }
  }
  return undefined;
}

/**
 * How many of the `total` 6-word runs repeat an earlier one: an open-addressing table of the
 * first position of each distinct run, compared word by word on a hash match (exact).
 */
function repeatedShingles(words: Int32Array, total: number): number {
  let size = 16;
  while (size < total * 2) size *= 2;
  const firstAt = new Int32Array(size).fill(-1);
  let duplicates = 0;
  for (let i = 0; i < total; i++) {
    let hash = 0x811c9dc5;
    for (let k = 0; k < SHINGLE; k++) hash = Math.imul(hash ^ words[i + k]!, 0x01000193);
    let slot = (hash ^ (hash >>> 15)) & (size - 1);
    for (;;) {
      const j = firstAt[slot]!;
      if (j === -1) {
        firstAt[slot] = i;
        break;
      }
      if (sameRun(words, i, j)) {
        duplicates++;
        break;
      }
      slot = (slot + 1) & (size - 1);
    }
  }
  return duplicates;
}

function sameRun(words: Int32Array, a: number, b: number): boolean {
  for (let k = 0; k < SHINGLE; k++) if (words[a + k] !== words[b + k]) return false;
  return true;
}

/**
 * True when one character repeats more than 60 times in a row once white space and the
 * separator characters `-=_*#.|` are left out. Text without surrogates is scanned once, unit
 * by unit; text with them takes the regular expression (code points, pairs joined by removal).
 */
function hasLongRun(text: string): boolean {
  if (SURROGATE.test(text)) return /(.)\1{60,}/su.test(text.replace(/[\s\-=_*#.|]/g, ''));
  let previous = -1;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSeparator(c)) continue;
    if (c === previous) {
      if (++run > 60) return true;
    } else {
      previous = c;
      run = 1;
    }
  }
  return false;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** The characters the long-run test leaves out: `\s` (white space, line terminators) and `-=_*#.|`. */
function isSeparator(c: number): boolean {
  if (c > 0x20 && c < 0x7f) {
    return c === 0x2d || c === 0x3d || c === 0x5f || c === 0x2a || c === 0x23 || c === 0x2e || c === 0x7c;
  }
  return isJsSpace(c);
}
