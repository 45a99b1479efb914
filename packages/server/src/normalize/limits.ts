/**
 * Size limits (principle 5: bad input harms nothing). Over-long strings are cut with a marker
 * and counted; surplus attributes are dropped and counted; NaN/Infinity never reach the store.
 */
import type { RetrievalDocument } from '@argus/shared';
import type { NormalizeLimits } from './types.ts';
import { record } from './values.ts';

/** Counts what the limits changed on one span/log, reported as `argus.truncated` / `argus.dropped_attributes`. */
export class LimitTally {
  truncated = 0;
  droppedAttributes = 0;
  readonly limits: NormalizeLimits;

  constructor(limits: NormalizeLimits) {
    this.limits = limits;
  }
}

/** The marker appended to a cut string. */
export function truncationMarker(removed: number): string {
  return `…[argus: truncated ${removed} chars]`;
}

/** `text` cut to `max` characters plus the marker (never splitting a surrogate pair), counted in `tally`. */
export function capString(text: string, max: number, tally?: LimitTally): string {
  if (text.length <= max) return text;
  let keep = Math.max(0, max);
  const code = text.charCodeAt(keep - 1);
  if (keep > 0 && code >= 0xd800 && code <= 0xdbff) keep--;
  if (tally) tally.truncated++;
  return text.slice(0, keep) + truncationMarker(text.length - keep);
}

/**
 * A copy of a raw value that is safe to store: strings capped, non-finite numbers removed (as
 * `null` inside lists/objects), objects rebuilt without a prototype. Depth is bounded by the decoder.
 */
export function sanitizeValue(value: unknown, maxChars: number, tally: LimitTally, depth = 0): unknown {
  if (typeof value === 'string') return capString(value, maxChars, tally);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value ?? null;
  if (depth > 64) return '[argus: truncated, too deep]';
  if (Array.isArray(value)) return value.map((v) => sanitizeValue(v, maxChars, tally, depth + 1));
  const out = record<unknown>();
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = sanitizeValue(v, maxChars, tally, depth + 1);
  }
  return out;
}

function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Raw attributes as stored: at most `maxAttributes` (first ones kept), top-level NaN/Infinity
 * dropped, strings capped, and lists/objects whose JSON exceeds the value limit replaced by
 * their capped JSON text.
 */
export function sanitizeAttributes(
  attrs: Record<string, unknown>,
  tally: LimitTally,
): Record<string, unknown> {
  const { maxAttributes, maxAttributeValueChars: max } = tally.limits;
  const out = record<unknown>();
  let kept = 0;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) continue;
    if (kept >= maxAttributes) {
      tally.droppedAttributes++;
      continue;
    }
    let clean = sanitizeValue(value, max, tally);
    if (typeof clean === 'object' && clean !== null && jsonLength(clean) > max) {
      clean = capString(JSON.stringify(clean), max, tally);
    }
    out[capString(key, max, tally)] = clean;
    kept++;
  }
  return out;
}

/** Copies `value` with every string longer than `cap` cut; counts the cuts and bounds the JSON size. */
function capStrings(
  value: unknown,
  cap: number,
  counter: { cut: number; bound: number },
  depth = 0,
): unknown {
  if (typeof value === 'string') {
    // Worst case JSON escaping is 6 chars per char (\u00XX) plus the quotes.
    counter.bound += 6 * Math.min(value.length, cap + 40) + 2;
    if (value.length <= cap) return value;
    counter.cut++;
    return capString(value, cap);
  }
  if (typeof value === 'number') {
    counter.bound += 24;
    return Number.isFinite(value) ? value : null;
  }
  counter.bound += 8;
  if (typeof value !== 'object' || value === null || depth > 64) return value;
  if (Array.isArray(value)) return value.map((v) => capStrings(v, cap, counter, depth + 1));
  const out = record<unknown>();
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    counter.bound += 6 * k.length + 3;
    out[k] = capStrings(v, cap, counter, depth + 1);
  }
  return out;
}

/**
 * Fits a content value (messages, instructions, tool definitions) into `tally.limits.maxContentChars`
 * of JSON, keeping its shape: the longest strings are cut to the largest common length that
 * fits. Only when the structure alone is too large does it become its capped JSON text.
 */
export function fitContent(value: unknown, tally: LimitTally): unknown {
  if (value === undefined) return undefined;
  const max = tally.limits.maxContentChars;
  const first = { cut: 0, bound: 0 };
  const whole = capStrings(value, Number.POSITIVE_INFINITY, first);
  // The common case (a few KB) is decided by the bound alone, without serializing.
  if (first.bound <= max || jsonLength(whole) <= max) return whole;
  let low = 0;
  let high = max;
  let best: unknown;
  let bestCut = 0;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const counter = { cut: 0, bound: 0 };
    const candidate = capStrings(whole, mid, counter);
    if (counter.bound <= max || jsonLength(candidate) <= max) {
      best = candidate;
      bestCut = counter.cut;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (best !== undefined) {
    tally.truncated += bestCut;
    return best;
  }
  return capString(JSON.stringify(whole), max, tally);
}

/** The content fields of a span, each fitted by {@link fitContent} (OTLP spans and LangSmith runs alike). */
export function fitContentFields(
  content: {
    input?: unknown;
    output?: unknown;
    systemInstructions?: unknown;
    toolDefinitions?: unknown;
    retrievalDocuments?: RetrievalDocument[];
  },
  tally: LimitTally,
) {
  return {
    input: fitContent(content.input, tally),
    output: fitContent(content.output, tally),
    systemInstructions: fitContent(content.systemInstructions, tally),
    toolDefinitions: fitContent(content.toolDefinitions, tally),
    retrievalDocuments: fitContent(content.retrievalDocuments, tally) as RetrievalDocument[] | undefined,
  };
}

/** A scalar field (name, model, status message …) capped at the attribute value limit. */
export function capField(text: string, tally: LimitTally): string {
  return capString(text, tally.limits.maxAttributeValueChars, tally);
}
