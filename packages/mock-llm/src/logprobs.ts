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
