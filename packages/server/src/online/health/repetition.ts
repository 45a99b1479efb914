/**
 * Does a text loop? Two cheap tests on its words: a block of 1–40 words repeated back to back
 * at least four times (a generation stuck in a cycle), or, over a long text, most 6-word runs
 * being copies of others (a loop with small variations). Lists and tables of a normal answer
 * repeat a word or two per line, which neither test counts. Pure.
 */

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
  const words = head.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const run = longestCycle(words);
  if (run)
    return `a block of ${run.period} word${run.period === 1 ? '' : 's'} repeats ${run.copies} times in a row`;
  if (/(.)\1{60,}/su.test(head.replace(/[\s\-=_*#.|]/g, '')))
    return 'one character repeats more than 60 times';
  if (words.length >= MIN_SHINGLE_WORDS) {
    const seen = new Set<string>();
    let duplicates = 0;
    const total = words.length - SHINGLE + 1;
    for (let i = 0; i < total; i++) {
      const key = words.slice(i, i + SHINGLE).join(' ');
      if (seen.has(key)) duplicates++;
      else seen.add(key);
    }
    if (duplicates / total > MAX_DUPLICATE_SHARE)
      return `${Math.round((100 * duplicates) / total)} % of its 6-word runs are repeats`;
  }
  return undefined;
}

/** The shortest period whose back-to-back copies cover enough words. */
function longestCycle(words: readonly string[]): { period: number; copies: number } | undefined {
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
