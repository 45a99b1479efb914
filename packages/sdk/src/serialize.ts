/**
 * Captured content: any value to bounded JSON text, with the configured redaction applied.
 * Serialization stops at the character budget, so a huge argument costs little; cycles,
 * bigints, errors, maps, sets and binary data never throw.
 */
import { getConfig, redactText } from './config.ts';

const MAX_DEPTH = 12;

/** `text` cut to `max` characters with a marker saying how much was removed. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let keep = max;
  const code = text.charCodeAt(keep - 1);
  if (code >= 0xd800 && code <= 0xdbff) keep--;
  return `${text.slice(0, keep)}…[truncated ${text.length - keep} chars]`;
}

class Budget {
  readonly parts: string[] = [];
  length = 0;
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  get exhausted(): boolean {
    return this.length > this.max;
  }
  push(text: string): void {
    this.parts.push(text);
    this.length += text.length;
  }
}

function describeBinary(value: object): string | undefined {
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[ArrayBuffer ${value.byteLength} bytes]`;
  return undefined;
}

/** Plain data for the special objects JSON has no form for; `undefined` when `value` is ordinary. */
function special(value: object): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), v]));
  if (value instanceof Set) return [...value];
  const binary = describeBinary(value);
  if (binary !== undefined) return binary;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return toJSON.call(value);
  return undefined;
}

function write(value: unknown, out: Budget, ancestors: Set<object>, depth: number): void {
  if (out.exhausted) return;
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value.length > out.max ? value.slice(0, out.max + 1) : value));
      return;
    case 'number':
      out.push(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      out.push(String(value));
      return;
    case 'bigint':
      out.push(`"${value}"`);
      return;
    case 'undefined':
    case 'function':
    case 'symbol':
      out.push('null');
      return;
  }
  if (value === null) {
    out.push('null');
    return;
  }
  const obj = value as object;
  const marker = ancestors.has(obj) ? '"[Circular]"' : depth >= MAX_DEPTH ? '"[Object]"' : undefined;
  if (marker !== undefined) {
    out.push(marker);
    return;
  }
  const replaced = special(obj);
  if (replaced !== undefined && replaced !== obj) {
    write(replaced, out, ancestors, depth + 1);
    return;
  }
  ancestors.add(obj);
  if (Array.isArray(obj)) {
    out.push('[');
    obj.forEach((item, i) => {
      if (out.exhausted) return;
      if (i > 0) out.push(',');
      write(item, out, ancestors, depth + 1);
    });
    out.push(']');
  } else {
    out.push('{');
    let first = true;
    for (const key of Object.keys(obj)) {
      if (out.exhausted) break;
      const item = (obj as Record<string, unknown>)[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      out.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      write(item, out, ancestors, depth + 1);
    }
    out.push('}');
  }
  ancestors.delete(obj);
}

/** JSON text of `value`, written until about `maxChars` (up to twice that), uncut. */
function jsonUpTo(value: unknown, maxChars: number): string {
  const out = new Budget(maxChars);
  try {
    write(value, out, new Set(), 0);
  } catch {
    // A throwing getter or toJSON: keep what was written.
  }
  return out.parts.join('');
}

/** JSON text of `value`, at most `maxChars` long (then cut with a marker); never throws. */
export function toJsonText(value: unknown, maxChars: number): string {
  return truncate(jsonUpTo(value, maxChars), maxChars);
}

/** A captured value ready for a span attribute. */
export interface CapturedText {
  text: string;
  /** `text/plain` for strings kept as they are, else `application/json`. */
  mimeType: 'text/plain' | 'application/json';
}

/**
 * `value` as text for a span attribute: strings as they are, anything else as JSON; redacted
 * with the configured `redact` and cut at `maxContentChars`. `asJson` forces JSON for strings.
 */
export function captureText(value: unknown, asJson = false): CapturedText {
  const max = getConfig().maxContentChars;
  const isText = typeof value === 'string' && !asJson;
  const raw = isText ? value : jsonUpTo(value, max);
  return { text: redactCut(raw, max), mimeType: isText ? 'text/plain' : 'application/json' };
}

/**
 * `text` cut at `max` (so redaction cost is bounded), then redacted; cut again only when
 * redaction made it longer.
 */
export function redactCut(text: string, max: number): string {
  const cut = truncate(text, max);
  const redacted = redactText(cut);
  return redacted.length > cut.length ? truncate(redacted, max) : redacted;
}
