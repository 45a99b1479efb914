/**
 * Realistic token logprobs for the mock's answers: deterministic per (seed text, position), most
 * tokens confident (probability 0.80–0.999), about one in six uncertain (0.15–0.60), and the
 * `top_logprobs` a proper distribution — the chosen token among them, most likely first, their
 * probabilities summing to less than 1 — with plausible alternative words.
 */
import { hashText } from './knowledge.ts';

/** One alternative in OpenAI's shape. */
export interface MockAlternative {
  token: string;
  logprob: number;
  bytes: number[];
}

/** One token of `logprobs.content`. */
export interface MockTokenLogprob extends MockAlternative {
  top_logprobs: MockAlternative[];
}

const ALTERNATIVES = [
  'the',
  'a',
  'it',
  'this',
  'that',
  'and',
  'of',
  'to',
  'is',
  'in',
  'for',
  'with',
  'as',
  'on',
  'be',
  'not',
  'or',
  'can',
  'one',
  'more',
];

const bytesOf = (text: string): number[] => [...Buffer.from(text, 'utf8')];

/** A uniform number in [0, 1) from a hash. */
const unit = (h: number): number => (h >>> 0) / 2 ** 32;

/** The chosen token's probability at one position. */
function chosenProbability(h: number): number {
  const u = unit(h);
  // One position in six is a real choice between words; the rest are near-certain.
  if (u < 1 / 6) return 0.15 + unit(Math.imul(h, 0x9e3779b1)) * 0.45;
  return 0.8 + unit(Math.imul(h, 0x85ebca6b)) * 0.199;
}

/** Alternatives to `token` that keep its leading space and differ from it. */
function alternativeWords(token: string, h: number, count: number): string[] {
  const space = token.startsWith(' ') ? ' ' : '';
  const words: string[] = [];
  for (let i = 0; words.length < count && i < ALTERNATIVES.length; i++) {
    const word = `${space}${ALTERNATIVES[(h + i * 7) % ALTERNATIVES.length]}`;
    if (word !== token && !words.includes(word)) words.push(word);
  }
  return words;
}

/** The alternatives of one position (`top` of them, the chosen token included), most likely first. */
function topOf(token: string, p: number, h: number, top: number): MockAlternative[] {
  if (top <= 0) return [];
  const rest = 1 - p;
  const words = alternativeWords(token, h, top - 1);
  // The rest of the mass falls off geometrically; the alternatives take at most 90 % of it.
  const shares = words.map((_, k) => 0.5 ** (k + 1));
  const options = [
    { token, p },
    ...words.map((word, k) => ({ token: word, p: rest * 0.9 * (shares[k] ?? 0) })),
  ];
  options.sort((a, b) => b.p - a.p);
  return options.map((o) => ({ token: o.token, logprob: Math.log(o.p), bytes: bytesOf(o.token) }));
}

/**
 * Logprobs for the pieces of an answer.
 * @param seedText what makes the numbers repeatable (prompt and choice index).
 * @param top how many `top_logprobs` per token (0–20).
 */
export function mockLogprobs(pieces: readonly string[], seedText: string, top: number): MockTokenLogprob[] {
  const seed = hashText(seedText);
  return pieces.map((token, j) => {
    const h = hashText(`${seed}:${j}`);
    const p = chosenProbability(h);
    return { token, logprob: Math.log(p), bytes: bytesOf(token), top_logprobs: topOf(token, p, h, top) };
  });
}

/** Logprobs of the legacy completions API (`logprobs: N`, with `echo` for the prompt too). */
export interface LegacyLogprobs {
  tokens: string[];
  /** The first prompt token has none when echoed: nothing came before it. */
  token_logprobs: (number | null)[];
  top_logprobs: (Record<string, number> | null)[];
  text_offset: number[];
}

/**
 * Legacy logprobs over `prompt` (echoed; empty when not) followed by `completion`. A token's
 * numbers depend on the model, the token and the one before it only, so one text scored twice by
 * one model gives the same perplexity, and two models give different ones — like scoring
 * reference text with `echo: true` on vLLM.
 */
export function completionLogprobs(
  model: string,
  prompt: string,
  completion: string,
  top: number,
): LegacyLogprobs {
  const pieces = [...splitWords(prompt), ...splitWords(completion)];
  const out: LegacyLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  let offset = 0;
  for (const [j, token] of pieces.entries()) {
    out.tokens.push(token);
    out.text_offset.push(offset);
    offset += token.length;
    if (j === 0 && prompt !== '') {
      out.token_logprobs.push(null);
      out.top_logprobs.push(null);
      continue;
    }
    const h = hashText(`${model}|${pieces[j - 1] ?? ''}|${token}`);
    const p = chosenProbability(h);
    out.token_logprobs.push(Math.log(p));
    const alternatives = topOf(token, p, h, top);
    out.top_logprobs.push(Object.fromEntries(alternatives.map((a) => [a.token, a.logprob])));
  }
  return out;
}

/** Words with their leading space and line breaks on their own (concatenated, the text again). */
function splitWords(text: string): string[] {
  return text.match(/ ?[^ \n]+|\n| /g) ?? [];
}
