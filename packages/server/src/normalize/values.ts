/**
 * Defensive value helpers: attribute values arrive as anything (JSON strings, Python-repr
 * strings, numbers as decimal strings, NaN), so every reader goes through these.
 */
import { parsePythonRepr } from './python-repr.ts';

/** Nesting kept when parsing JSON from attributes; deeper values become a marker string. */
export const MAX_JSON_DEPTH = 32;

/** A plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An empty object without a prototype, so keys like `__proto__` stay plain data. */
export function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A finite number from a number or a numeric string; NaN, Infinity and the rest give undefined. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A non-negative whole count (token counts); negative or non-finite values give undefined. */
export function toCount(value: unknown): number | undefined {
  const n = toNumber(value);
  return n === undefined || n < 0 ? undefined : Math.round(n);
}

/** A non-empty string; numbers and booleans are stringified because producers disagree on types. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** A boolean from a boolean or `"true"`/`"false"`. */
export function toBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return undefined;
}

/** A string list from an array, a JSON/Python array string, or one plain string. */
export function toStringList(value: unknown): string[] | undefined {
  let v = value;
  if (typeof v === 'string') {
    const parsed = v.trimStart().startsWith('[') ? parseStructured(v) : undefined;
    v = Array.isArray(parsed) ? parsed : [v];
  }
  if (!Array.isArray(v)) return undefined;
  const out = v
    .map((item) => (typeof item === 'string' ? item : stringifyValue(item)))
    .filter((s) => s !== '');
  return out.length > 0 ? out : undefined;
}

/** Strings as they are, everything else as JSON (bigint-safe, never throws). */
export function stringifyValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    return String(value);
  }
}

/**
 * Parses a JSON (or Python-repr) object/array string; undefined when the string is not one.
 * Scalars are left alone on purpose: `"42"` in a message attribute is text, not a number.
 */
export function parseStructured(text: string): unknown {
  const t = text.trim();
  const first = t[0];
  if (first !== '{' && first !== '[' && first !== '(') return undefined;
  try {
    return clampDepth(JSON.parse(t), MAX_JSON_DEPTH);
  } catch {
    const repr = parsePythonRepr(t, MAX_JSON_DEPTH);
    return repr === undefined ? undefined : clampDepth(repr, MAX_JSON_DEPTH);
  }
}

/**
 * Parses a value that may be JSON-encoded: structured strings are decoded, including the
 * double-encoded `"\"[...]\""` some SDKs send; anything else is returned as it is.
 */
export function decodeMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const parsed = parseStructured(value);
  if (parsed !== undefined) return parsed;
  const t = value.trim();
  if (t.length > 1 && t[0] === '"' && t[t.length - 1] === '"') {
    try {
      const inner: unknown = JSON.parse(t);
      if (typeof inner === 'string') return parseStructured(inner) ?? inner;
    } catch {
      return value;
    }
  }
  return value;
}

/** True when `value` nests deeper than `maxDepth` (walks without allocating, stops early). */
function isDeeper(value: unknown, maxDepth: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= maxDepth) return true;
  for (const v of Array.isArray(value) ? value : Object.values(value))
    if (isDeeper(v, maxDepth, depth + 1)) return true;
  return false;
}

/** The value itself, or a copy with nesting cut at `maxDepth` (deeper values become a marker string). */
export function clampDepth(value: unknown, maxDepth: number): unknown {
  return isDeeper(value, maxDepth) ? cutDepth(value, maxDepth, 0) : value;
}

function cutDepth(value: unknown, maxDepth: number, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= maxDepth) return `[argus: truncated, depth > ${maxDepth}]`;
  if (Array.isArray(value)) return value.map((v) => cutDepth(v, maxDepth, depth + 1));
  const out = record<unknown>();
  for (const [k, v] of Object.entries(value)) out[k] = cutDepth(v, maxDepth, depth + 1);
  return out;
}

/**
 * Rebuilds nested data from flattened keys (`0.message.role`, `0.message.tool_calls.1.id`):
 * pure-integer segments become array positions, sorted numerically (string order would put 10
 * before 2) and compacted, so a huge index never allocates a huge array.
 */
export function unflatten(entries: Iterable<readonly [string, unknown]>): unknown {
  const root = record<unknown>();
  for (const [path, value] of entries) {
    const segments = path.split('.');
    let node: Record<string, unknown> | undefined = root;
    for (let i = 0; i < segments.length - 1 && node !== undefined; i++) {
      const seg = segments[i]!;
      const next: unknown = node[seg];
      if (isRecord(next)) node = next;
      else if (next !== undefined)
        node = undefined; // a scalar already sits here: keep it, skip the deeper key
      else {
        const child = record<unknown>();
        node[seg] = child;
        node = child;
      }
    }
    const leaf = segments[segments.length - 1]!;
    if (node !== undefined && node[leaf] === undefined) node[leaf] = value;
  }
  return arrayify(root, 0);
}

function arrayify(node: unknown, depth: number): unknown {
  if (!isRecord(node) || depth > MAX_JSON_DEPTH) return node;
  const keys = Object.keys(node);
  const allIndices = keys.length > 0 && keys.every((k) => /^\d{1,15}$/.test(k));
  if (allIndices) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => arrayify(node[k], depth + 1));
  }
  const out = record<unknown>();
  for (const k of keys) out[k] = arrayify(node[k], depth + 1);
  return out;
}
