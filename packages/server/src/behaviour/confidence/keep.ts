/**
 * The token logprobs kept on a stored span for the trace view's heatmap, bounded: at most
 * {@link MAX_KEPT_TOKENS} tokens per span, {@link MAX_KEPT_ALTERNATIVES} alternatives per token and
 * {@link MAX_TOKEN_CHARS} characters per token text, and at most {@link MAX_KEPT_JSON_CHARS} of JSON
 * per span, even for hostile input (typical: 250–350 characters per token with 5 alternatives,
 * so the JSON budget, not the token count, is what usually ends a long answer's list).
 */
import type { TokenLogprob } from './parse.ts';

/** Most tokens kept per span, all choices together (the figures are computed over all of them first). */
export const MAX_KEPT_TOKENS = 4096;
/** Most alternatives kept per token. */
export const MAX_KEPT_ALTERNATIVES = 5;
/** Longest token text kept, in characters. */
export const MAX_TOKEN_CHARS = 24;
/** Most characters of JSON kept per span (estimated conservatively while keeping). */
export const MAX_KEPT_JSON_CHARS = 512 * 1024;
// Characters JSON escapes as \uXXXX or \x (six at worst): controls, quote, backslash, lone surrogates.
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** One stored token in OpenAI's `logprobs.content` shape. */
export interface StoredTokenLogprob {
  token: string;
  logprob: number;
  top_logprobs: { token: string; logprob: number }[];
}

const cut = (text: string): string => (text.length > MAX_TOKEN_CHARS ? text.slice(0, MAX_TOKEN_CHARS) : text);
// `{"token":"…","logprob":-0.12345678901234567}` plus the separators, escapes at their worst.
const entryChars = (token: string): number =>
  48 + (NEEDS_ESCAPE.test(token) ? 6 * token.length : token.length);

/** What a span may still keep: tokens and JSON characters, shared by all its choices. */
export interface KeepBudget {
  tokens: number;
  chars: number;
}

/** A fresh per-span budget. */
export function spanBudget(): KeepBudget {
  return { tokens: MAX_KEPT_TOKENS, chars: MAX_KEPT_JSON_CHARS };
}

/**
 * The leading tokens that fit `budget` (which is spent), in the stored shape.
 * @returns the kept tokens and how many were dropped.
 */
export function keptTokens(
  tokens: readonly TokenLogprob[],
  budget: KeepBudget = spanBudget(),
): { content: StoredTokenLogprob[]; dropped: number } {
  const content: StoredTokenLogprob[] = [];
  for (const t of tokens) {
    if (budget.tokens <= 0) break;
    const token = cut(t.token);
    const top = t.top
      .slice(0, MAX_KEPT_ALTERNATIVES)
      .map((a) => ({ token: cut(a.token), logprob: a.logprob }));
    const chars = entryChars(token) + 20 + top.reduce((n, a) => n + entryChars(a.token), 0);
    if (chars > budget.chars) break;
    budget.chars -= chars;
    budget.tokens--;
    content.push({ token, logprob: t.logprob, top_logprobs: top });
  }
  return { content, dropped: tokens.length - content.length };
}
