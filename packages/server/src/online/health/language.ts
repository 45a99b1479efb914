/**
 * A cheap guess at the language of a text, good enough to notice an answer in another language
 * than its question: the writing system first (Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai,
 * Hangul, Japanese kana, Han), then, for Latin script, which language's most common words the
 * text uses most. Code blocks, inline code and URLs are left out. `undefined` when the text is
 * too short or too mixed to say. Pure, no model.
 */

/** Most common words of Latin-script languages (function words only: they carry no topic). */
const STOPWORDS: Readonly<Record<string, readonly string[]>> = {
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
const STOPWORD_SETS = Object.entries(STOPWORDS).map(([lang, words]) => [lang, new Set(words)] as const);

/** Writing systems that name a language (or a family) on their own. */
const SCRIPTS: readonly (readonly [string, RegExp])[] = [
  ['ja', /[\p{Script=Hiragana}\p{Script=Katakana}]/gu],
  ['ko', /\p{Script=Hangul}/gu],
  ['zh', /\p{Script=Han}/gu],
  ['ru', /\p{Script=Cyrillic}/gu],
  ['el', /\p{Script=Greek}/gu],
  ['ar', /\p{Script=Arabic}/gu],
  ['he', /\p{Script=Hebrew}/gu],
  ['hi', /\p{Script=Devanagari}/gu],
  ['th', /\p{Script=Thai}/gu],
];
const LATIN = /\p{Script=Latin}/gu;

/** The prose of a text: without fenced or inline code, URLs and e-mail addresses. */
export function proseOf(text: string): string {
  return text
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\S+@\S+\.\S+/g, ' ');
}

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

/** The script-level language of a text, or 'latin', or undefined when there are too few letters. */
function scriptOf(text: string): string | undefined {
  const latin = count(text, LATIN);
  const scores = SCRIPTS.map(([lang, pattern]) => [lang, count(text, pattern)] as const);
  const kana = scores[0]![1];
  let best: readonly [string, number] = ['latin', latin];
  for (const entry of scores) if (entry[1] > best[1]) best = entry;
  // Japanese mixes kana and Han: any real share of kana makes Han text Japanese.
  if (best[0] === 'zh' && kana >= 0.1 * best[1]) best = ['ja', best[1] + kana];
  const letters = latin + scores.reduce((n, [, c]) => n + c, 0);
  if (best[1] < 4 || best[1] < 0.6 * letters) return undefined;
  return best[0];
}

/** The Latin-script language whose function words the text uses most, when it stands out. */
function latinLanguageOf(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}'-]+/gu) ?? [];
  if (words.length < 6) return undefined;
  const hits = STOPWORD_SETS.map(
    ([lang, set]) => [lang, words.filter((w) => set.has(w)).length] as const,
  ).sort((a, b) => b[1] - a[1]);
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
  const prose = proseOf(text);
  const script = scriptOf(prose);
  if (script !== 'latin') return script;
  return latinLanguageOf(prose);
}
