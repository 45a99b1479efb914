/**
 * Token estimates for spans that reported no usage, with OpenAI's real BPE tokenizers
 * (`js-tiktoken`). Other vendors' tokenizers differ; cl100k is the documented approximation.
 */
import { createRequire } from 'node:module';
import { type BpeCounter, type BpeRanks, createBpeCounter } from './bpe-count.ts';
import { normalizeModel } from './model-key.ts';

/** The BPE vocabularies Argus uses for estimates. */
export type TokenEncoding = 'o200k_base' | 'cl100k_base';

/**
 * Texts longer than this are estimated from samples instead of tokenized whole, so one span
 * holds the event loop for a few milliseconds at most.
 */
export const MAX_EXACT_CHARS = 32_000;
/** Characters per sample and number of samples for long texts (as much work as the exact limit). */
const SAMPLE_CHARS = 4_000;
const SAMPLE_COUNT = 8;
const MAX_DEPTH = 16;
/** Part types that carry binary data or references rather than text. */
const BINARY_PART = /^(?:blob|uri|file|image|image_url|input_image|audio|input_audio|video)$/;

/** Models tokenized with o200k: gpt-4o, gpt-4.1, gpt-4.5, gpt-5, the o-series, gpt-oss. */
const O200K_MODELS = /^(?:gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o|codex-mini|gpt-oss|computer-use)/;

// The rank files are megabytes of text: load each one on first use, synchronously, once, and drop
// the module once its counter is built (the counter keeps the vocabulary in typed arrays).
const require = createRequire(import.meta.url);
const RANK_MODULES: Record<TokenEncoding, string> = {
  o200k_base: 'js-tiktoken/ranks/o200k_base',
  cl100k_base: 'js-tiktoken/ranks/cl100k_base',
};
const encoders = new Map<TokenEncoding, BpeCounter>();

/** The encoding used to estimate tokens of `model`: o200k for OpenAI's current families, else cl100k. */
export function encodingForModel(model?: string): TokenEncoding {
  return model !== undefined && O200K_MODELS.test(normalizeModel(model)) ? 'o200k_base' : 'cl100k_base';
}

/**
 * Number of tokens `text` has for `model` (see {@link encodingForModel}). Special-token strings
 * such as `<|endoftext|>` count as plain text. Texts longer than {@link MAX_EXACT_CHARS}
 * characters are estimated: eight evenly spaced 4,000-character samples are tokenized and their
 * tokens-per-character ratio is scaled to the full length, which bounds the cost per text at
 * 32,000 characters of BPE work and stays within a few percent for natural-language text. The
 * counter ({@link createBpeCounter}) is O(n log n) in a piece's length, so no content (an
 * unbroken run of letters, unspaced CJK) makes one span expensive.
 */
export function estimateTokens(text: string, model?: string): number {
  if (text.length === 0) return 0;
  const encoder = encoderFor(encodingForModel(model));
  if (text.length <= MAX_EXACT_CHARS) return encoder.count(text);
  const stride = (text.length - SAMPLE_CHARS) / (SAMPLE_COUNT - 1);
  let sampledTokens = 0;
  for (let i = 0; i < SAMPLE_COUNT; i++) {
    const start = Math.round(i * stride);
    sampledTokens += encoder.count(text.slice(start, start + SAMPLE_CHARS));
  }
  return Math.round((sampledTokens / (SAMPLE_CHARS * SAMPLE_COUNT)) * text.length);
}

/**
 * Loads both vocabularies now (about a second of CPU for o200k) so the first span that needs an
 * estimate does not stall the ingest path; call it once at server start.
 */
export function preloadTokenizers(): void {
  encoderFor('o200k_base');
  encoderFor('cl100k_base');
}

function encoderFor(encoding: TokenEncoding): BpeCounter {
  let encoder = encoders.get(encoding);
  if (encoder === undefined) {
    const id = require.resolve(RANK_MODULES[encoding]);
    encoder = createBpeCounter(require(id) as BpeRanks);
    delete require.cache[id];
    encoders.set(encoding, encoder);
  }
  return encoder;
}

/**
 * The text a model reads or writes in `value`, one piece per line: normalized messages
 * (`[{role, parts:[{type:'text', content}]}]`: text and reasoning parts, tool call names and
 * arguments, tool results; blobs, URIs and files are skipped), provider-style messages
 * (`{role, content}` with a string or `[{type:'text', text}]`), strings, numbers, and any other
 * value as JSON.
 */
export function messagesText(value: unknown): string {
  const pieces: string[] = [];
  collect(value, pieces, 0);
  return pieces.join('\n');
}

function collect(value: unknown, pieces: string[], depth: number): void {
  if (value === null || value === undefined || value === '') return;
  if (typeof value === 'string') {
    pieces.push(value);
    return;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    pieces.push(String(value));
    return;
  }
  if (typeof value !== 'object' || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, pieces, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.parts)) {
    for (const part of record.parts) collectPart(part, pieces, depth + 1);
  } else if ('content' in record) {
    collect(record.content, pieces, depth + 1);
  } else if (typeof record.text === 'string') {
    pieces.push(record.text);
  } else if (typeof record.type === 'string' && BINARY_PART.test(record.type)) {
    // Provider-style image/audio parts carry URLs or base64, not text tokens.
  } else {
    pieces.push(toJson(record));
  }
}

function collectPart(part: unknown, pieces: string[], depth: number): void {
  if (typeof part !== 'object' || part === null || Array.isArray(part)) {
    collect(part, pieces, depth);
    return;
  }
  const { type, content, name, arguments: args, response } = part as Record<string, unknown>;
  if (typeof type === 'string' && BINARY_PART.test(type)) return;
  switch (type) {
    case 'tool_call':
      collect(name, pieces, depth);
      pushText(args, pieces);
      return;
    case 'tool_call_response':
      pushText(response, pieces);
      return;
    default:
      collect(content, pieces, depth);
  }
}

/** Strings as they are, structured tool arguments and results as JSON. */
function pushText(value: unknown, pieces: string[]): void {
  const text = typeof value === 'string' ? value : toJson(value);
  if (text !== '') pieces.push(text);
}

function toJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return ''; // cycles and BigInts: nothing sensible to count
  }
}
