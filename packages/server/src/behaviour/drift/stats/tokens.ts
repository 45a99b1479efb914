/**
 * Words of a text for the text drift tests and cluster labels: lowercase runs of letters and
 * digits (any script), two characters or more, without common English function words; and the
 * 32-bit FNV-1a hash the hashed feature spaces use.
 */

const STOPWORDS = new Set(
  `a an and are as at be but by can could did do does for from had has have he her his how i if in into is
it its me my no not of on or our she so than that the their them then there these they this to was we were
what when where which who why will with would you your about all also am any been being both each few more
most other some such only own same too very just should now up out over under again further once here
please tell give use using`.split(/\s+/),
);

/** The words of a text (lowercased, stopwords dropped). */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    if (word.length >= 2 && word.length <= 40 && !STOPWORDS.has(word)) words.push(word);
  }
  return words;
}

/** FNV-1a, 32 bits. */
export function hash32(text: string, seed = 2_166_136_261): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16_777_619);
  }
  return h >>> 0;
}
