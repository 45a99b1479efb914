/**
 * What an evaluator reads (one sample: input, output, expected, metadata) and how values become
 * text: strings as they are, chat messages (the canonical `[{ role, parts }]` shape of spans or
 * `{ role, content }`) as their text, anything else as JSON. Pure.
 */

/** One sample to evaluate. */
export interface EvaluationSample {
  input?: unknown;
  output: unknown;
  expected?: unknown;
  metadata?: Record<string, unknown>;
}

function messageText(message: Record<string, unknown>): string | undefined {
  if (typeof message.content === 'string') return message.content;
  if (!Array.isArray(message.parts)) return undefined;
  const texts = message.parts
    .filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null)
    .filter((p) => typeof p.content === 'string' && (p.type === 'text' || p.type === undefined))
    .map((p) => p.content as string);
  return texts.length > 0 ? texts.join('') : undefined;
}

/** The text of a value (messages → their texts joined by new lines; objects → JSON). */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((m) => typeof m === 'object' && m !== null && 'role' in m)
  ) {
    const texts = value.map((m) => messageText(m as Record<string, unknown>));
    if (texts.every((t) => t !== undefined)) return texts.join('\n');
  }
  return JSON.stringify(value);
}

/** Options of {@link normalizeText}. */
export interface NormalizeOptions {
  /** Compare case-insensitively (default true). */
  ignoreCase?: boolean;
  /** Trim both ends (default true). */
  trim?: boolean;
  /** Runs of white space count as one space (default true). */
  collapseWhitespace?: boolean;
  /** Drop punctuation (default false). */
  ignorePunctuation?: boolean;
  /** Unicode NFKC, so full-width and composed forms compare equal (default true). */
  unicode?: boolean;
}

/** A text normalised for comparison. */
export function normalizeText(text: string, o: NormalizeOptions = {}): string {
  let out = o.unicode === false ? text : text.normalize('NFKC');
  if (o.ignorePunctuation) out = out.replace(/[\p{P}\p{S}]/gu, '');
  if (o.collapseWhitespace !== false) out = out.replace(/\s+/g, ' ');
  if (o.trim !== false) out = out.trim();
  if (o.ignoreCase !== false) out = out.toLowerCase();
  return out;
}

/** A value at a dotted path (`metadata.context`, `a.b.0`), or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  let current = root;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
