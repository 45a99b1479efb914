/**
 * Token logprob payloads → one list of {@link TokenLogprob}. Accepts every shape instrumentation
 * sends (docs/behaviour.md, "Confidence"): OpenAI chat `logprobs.content` entries (or the object
 * holding them), the legacy completions shape (`tokens` / `token_logprobs` / `top_logprobs`, as
 * vLLM returns with `echo`), a plain list of numbers, or any of these as JSON text. Never throws:
 * malformed input is an error result, bad entries inside good input are skipped and counted.
 */

/** One alternative the model considered at a position. */
export interface TokenAlternative {
  token: string;
  logprob: number;
}

/** One generated (or scored) token with its natural-log probability and the top alternatives. */
export interface TokenLogprob {
  token: string;
  /** Natural logarithm of the token's probability, ≤ 0. */
  logprob: number;
  /** The most likely alternatives at this position, most likely first (may be empty). */
  top: TokenAlternative[];
}

/** The answer of {@link parseLogprobs}. */
export type ParsedLogprobs =
  | { ok: true; tokens: TokenLogprob[] /** Entries left out: no finite logprob ≤ 0. */; skipped: number }
  | { ok: false; error: string };

/** Most tokens one payload may carry (a 128k-token context, with room). */
export const MAX_PARSED_TOKENS = 200_000;
/** Most alternatives read per position (OpenAI returns at most 20). */
export const MAX_ALTERNATIVES = 20;
/** Longest JSON text parsed, in characters. */
export const MAX_LOGPROBS_JSON_CHARS = 64 * 1024 * 1024;
// Rounding in providers' float formatting can give +1e-7 for a certain token.
const LOGPROB_EPSILON = 1e-6;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A finite logprob ≤ 0 (tiny positive rounding clamped to 0), else undefined. */
export function validLogprob(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value > LOGPROB_EPSILON) return undefined;
  return Math.min(value, 0);
}

const tokenText = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';

/**
 * Parses a logprob payload in any accepted shape.
 * @returns the tokens in order, or `{ ok: false, error }` saying what is wrong.
 */
export function parseLogprobs(payload: unknown): ParsedLogprobs {
  let value = payload;
  if (typeof value === 'string') {
    if (value.length > MAX_LOGPROBS_JSON_CHARS)
      return fail(`is ${value.length} characters of JSON; the most is ${MAX_LOGPROBS_JSON_CHARS}`);
    try {
      value = JSON.parse(value);
    } catch (error) {
      // Deep nesting overflows the parser's stack: a RangeError, reported like a syntax error.
      return fail(`is not valid JSON (${String((error as Error)?.message ?? error).slice(0, 80)})`);
    }
  }
  if (isObj(value)) {
    if (Array.isArray(value.content)) return fromEntries(value.content);
    if (Array.isArray(value.token_logprobs)) return fromLegacy(value);
    return fail('is an object without a `content` or `token_logprobs` list');
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === 'number' || v === null))
      return fromNumbers(value);
    return fromEntries(value);
  }
  return fail(`is ${value === null ? 'null' : typeof value}; expected a list of token logprobs`);
}

function fail(why: string): ParsedLogprobs {
  return { ok: false, error: `Cannot read logprobs: the payload ${why}` };
}

function tooMany(count: number): ParsedLogprobs | undefined {
  return count > MAX_PARSED_TOKENS
    ? fail(`has ${count} tokens; the most is ${MAX_PARSED_TOKENS}`)
    : undefined;
}

function done(tokens: TokenLogprob[], total: number): ParsedLogprobs {
  if (tokens.length === 0)
    return fail(total === 0 ? 'has no tokens' : 'has no token with a finite logprob ≤ 0');
  return { ok: true, tokens, skipped: total - tokens.length };
}

/** Alternatives as OpenAI chat lists them: `[{ token, logprob }]`. */
function alternativesOfList(list: unknown): TokenAlternative[] {
  if (!Array.isArray(list)) return [];
  const out: TokenAlternative[] = [];
  for (const a of list.slice(0, MAX_ALTERNATIVES)) {
    const logprob = isObj(a) ? validLogprob(a.logprob) : undefined;
    if (logprob !== undefined) out.push({ token: tokenText((a as Obj).token), logprob });
  }
  return out;
}

/** Alternatives as the legacy completions API maps them: `{ token: logprob }`. */
function alternativesOfMap(map: unknown): TokenAlternative[] {
  if (!isObj(map)) return [];
  const out: TokenAlternative[] = [];
  for (const [token, value] of Object.entries(map).slice(0, MAX_ALTERNATIVES)) {
    const logprob = validLogprob(value);
    if (logprob !== undefined) out.push({ token, logprob });
  }
  return out.sort((a, b) => b.logprob - a.logprob);
}

function fromEntries(entries: unknown[]): ParsedLogprobs {
  const over = tooMany(entries.length);
  if (over) return over;
  const tokens: TokenLogprob[] = [];
  for (const e of entries) {
    const logprob = isObj(e) ? validLogprob(e.logprob) : undefined;
    if (logprob === undefined) continue;
    const entry = e as Obj;
    tokens.push({ token: tokenText(entry.token), logprob, top: alternativesOfList(entry.top_logprobs) });
  }
  return done(tokens, entries.length);
}

function fromLegacy(value: Obj): ParsedLogprobs {
  const logprobs = value.token_logprobs as unknown[];
  const over = tooMany(logprobs.length);
  if (over) return over;
  const texts = Array.isArray(value.tokens) ? value.tokens : [];
  const tops = Array.isArray(value.top_logprobs) ? value.top_logprobs : [];
  const tokens: TokenLogprob[] = [];
  let total = 0;
  for (const [i, raw] of logprobs.entries()) {
    // With `echo`, the first prompt token has no logprob (null): nothing predicted it.
    if (raw === null && i === 0) continue;
    total++;
    const logprob = validLogprob(raw);
    if (logprob !== undefined)
      tokens.push({ token: tokenText(texts[i]), logprob, top: alternativesOfMap(tops[i]) });
  }
  return done(tokens, total);
}

function fromNumbers(values: unknown[]): ParsedLogprobs {
  const over = tooMany(values.length);
  if (over) return over;
  const tokens: TokenLogprob[] = [];
  for (const v of values) {
    const logprob = validLogprob(v);
    if (logprob !== undefined) tokens.push({ token: '', logprob, top: [] });
  }
  return done(tokens, values.length);
}
