/**
 * A cheap guess at the language of a text, good enough to notice an answer in another language
 * than its question: the writing system first (Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai,
 * Hangul, Japanese kana, Han), then, for Latin script, which language's most common words the
 * text uses most. Code blocks, inline code and URLs are left out. `undefined` when the text is
 * too short or too mixed to say. Pure, no model.
 */

/** Most common words of Latin-script languages (function words only: they carry no topic). */
export const STOPWORDS: Readonly<Record<string, readonly string[]>> = {
  en: [
    'the',
    'and',
    'is',
    'are',
    'of',
    'to',
    'in',
    'that',
    'it',
    'for',
    'with',
    'you',
    'this',
    'was',
    'be',
    'on',
    'not',
    'what',
    'how',
    'can',
    'your',
    'have',
    'which',
    'from',
    'they',
    'will',
    'would',
    'there',
    'their',
    'an',
    'or',
    'do',
    'does',
    'if',
    'my',
    'we',
    'i',
  ],
  es: [
    'el',
    'la',
    'los',
    'las',
    'de',
    'que',
    'y',
    'en',
    'un',
    'una',
    'es',
    'por',
    'para',
    'con',
    'no',
    'se',
    'su',
    'del',
    'al',
    'como',
    'más',
    'pero',
    'sus',
    'le',
    'ya',
    'o',
    'este',
    'esta',
    'son',
    'qué',
    'cómo',
    'puedo',
    'también',
    'muy',
  ],
  fr: [
    'le',
    'la',
    'les',
    'de',
    'des',
    'et',
    'est',
    'un',
    'une',
    'du',
    'en',
    'que',
    'qui',
    'dans',
    'pour',
    'pas',
    'sur',
    'au',
    'avec',
    'ce',
    'il',
    'elle',
    'sont',
    'vous',
    'nous',
    'je',
    'ne',
    'se',
    'plus',
    'par',
    'mais',
    'comment',
    'est-ce',
    'aux',
    'cette',
    'ou',
  ],
  de: [
    'der',
    'die',
    'das',
    'und',
    'ist',
    'nicht',
    'ein',
    'eine',
    'zu',
    'den',
    'mit',
    'sich',
    'des',
    'auf',
    'für',
    'im',
    'dem',
    'von',
    'sie',
    'es',
    'ich',
    'wie',
    'auch',
    'werden',
    'kann',
    'sind',
    'oder',
    'aber',
    'wird',
    'bei',
    'einen',
    'wenn',
    'was',
    'noch',
    'nach',
  ],
  it: [
    'il',
    'lo',
    'la',
    'gli',
    'le',
    'di',
    'che',
    'e',
    'è',
    'un',
    'una',
    'per',
    'non',
    'con',
    'del',
    'della',
    'sono',
    'come',
    'si',
    'ma',
    'anche',
    'più',
    'questo',
    'questa',
    'nel',
    'alla',
    'io',
    'cosa',
    'posso',
    'dei',
    'delle',
  ],
  pt: [
    'o',
    'os',
    'as',
    'de',
    'que',
    'e',
    'do',
    'da',
    'em',
    'um',
    'uma',
    'para',
    'com',
    'não',
    'por',
    'mais',
    'dos',
    'das',
    'como',
    'mas',
    'ao',
    'ele',
    'ela',
    'seu',
    'sua',
    'ou',
    'são',
    'está',
    'também',
    'você',
    'isso',
    'posso',
    'muito',
  ],
  nl: [
    'de',
    'het',
    'een',
    'en',
    'van',
    'is',
    'dat',
    'op',
    'te',
    'in',
    'zijn',
    'voor',
    'met',
    'niet',
    'die',
    'aan',
    'er',
    'maar',
    'ook',
    'als',
    'bij',
    'om',
    'wat',
    'hoe',
    'kan',
    'ik',
    'je',
    'wordt',
    'naar',
    'deze',
    'dit',
    'worden',
  ],
};
const STOPWORD_LANGS = Object.keys(STOPWORDS);
const MAX_STOPWORD_LENGTH = Math.max(
  ...Object.values(STOPWORDS).flatMap((list) => list.map((w) => w.length)),
);
/** Each function word → the indexes (in {@link STOPWORD_LANGS}) of the languages listing it. */
const STOPWORD_INDEX = new Map<string, number[]>();
STOPWORD_LANGS.forEach((lang, index) => {
  for (const word of new Set(STOPWORDS[lang])) {
    const langs = STOPWORD_INDEX.get(word);
    if (langs === undefined) STOPWORD_INDEX.set(word, [index]);
    else langs.push(index);
  }
});

/** Most characters of a text the guess reads: a few sentences tell the language. */
const MAX_CHARS = 1000;

/** The writing systems {@link scriptOfCode} tells apart, by the language each names. */
const SCRIPTS = ['latin', 'el', 'ru', 'he', 'ar', 'hi', 'th', 'ko', 'kana', 'zh'] as const;
const LATIN = 0;
const KANA = 8;

/** The writing system of a code point as an index into {@link SCRIPTS}, or -1 for none. */
function scriptOfCode(c: number): number {
  if (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  )
    return LATIN;
  if (c < 0x370) return -1;
  if (c <= 0x3ff) return 1;
  if (c <= 0x52f) return c >= 0x400 ? 2 : -1;
  if (c >= 0x590 && c <= 0x5ff) return 3;
  if (c >= 0x600 && c <= 0x6ff) return 4;
  if (c >= 0x900 && c <= 0x97f) return 5;
  if (c >= 0xe00 && c <= 0xe7f) return 6;
  if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f) || (c >= 0xac00 && c <= 0xd7af)) return 7;
  if (c >= 0x3040 && c <= 0x30ff) return KANA;
  if ((c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff)) return 9;
  return -1;
}

/** The prose of a text: without fenced or inline code, URLs and e-mail addresses (each pass only when it can match). */
export function proseOf(text: string): string {
  let out = text;
  if (out.includes('`')) out = out.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
  if (out.includes('://')) out = out.replace(/https?:\/\/\S+/g, ' ');
  if (out.includes('@')) out = out.replace(/[^\s@]+@[^\s@]+\.[^\s@]+/g, ' ');
  return out;
}

/** The script-level language of a text, or 'latin', or undefined when there are too few letters. */
export function scriptOf(text: string): string | undefined {
  // Counts per script, and the scripts in the order they first appear (ties go to the first).
  const counts = new Array<number>(SCRIPTS.length).fill(0);
  const order: number[] = [];
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const script = scriptOfCode(text.charCodeAt(i));
    if (script < 0) continue;
    letters++;
    const count = counts[script]! + 1;
    counts[script] = count;
    if (count === 1) order.push(script);
  }
  const kana = counts[KANA]!;
  let best: string = SCRIPTS[LATIN];
  let bestCount = counts[LATIN]!;
  for (const script of order) {
    if (script !== KANA && counts[script]! > bestCount) {
      best = SCRIPTS[script]!;
      bestCount = counts[script]!;
    }
  }
  // Japanese mixes kana and Han: any real share of kana makes the text Japanese.
  if (kana > 0 && (best === 'zh' ? kana >= 0.1 * bestCount : kana > bestCount)) {
    best = 'ja';
    bestCount += kana;
  }
  if (bestCount < 4 || bestCount < 0.6 * letters) return undefined;
  return best;
}

/** The Latin-script language whose function words the text uses most, when it stands out. */
function latinLanguageOf(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}'-]+/gu) ?? [];
  if (words.length < 6) return undefined;
  // One lookup per word (not one per word and language); ties keep the list order (stable sort).
  const counts = new Array<number>(STOPWORD_LANGS.length).fill(0);
  for (const word of words) {
    // No function word is longer: skip the lookup (and hashing the word).
    if (word.length > MAX_STOPWORD_LENGTH) continue;
    const langs = STOPWORD_INDEX.get(word);
    if (langs !== undefined) for (const index of langs) counts[index]!++;
  }
  const hits = STOPWORD_LANGS.map((lang, index) => [lang, counts[index]!] as const).sort(
    (a, b) => b[1] - a[1],
  );
  const [first, second] = hits;
  if (!first || first[1] < 3) return undefined;
  // Neighbouring languages share words (de/la/en): the winner must clearly lead.
  if (second && first[1] < 1.5 * second[1]) return undefined;
  return first[0];
}

/**
 * The language of a text as an ISO 639-1 code (`en`, `fr`, `ru`, `zh` …), or undefined when it
 * cannot tell (short, mixed, or a Latin language it has no word list for).
 */
export function detectLanguage(text: string): string | undefined {
  const prose = proseOf(text.slice(0, MAX_CHARS));
  const script = scriptOf(prose);
  if (script !== 'latin') return script;
  return latinLanguageOf(prose);
}
