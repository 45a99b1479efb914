/**
 * A read view over one span's attributes that remembers which keys the mapping consumed, so
 * that whatever was not mapped stays in `attributes`, raw, for a later re-run of the mapping.
 */
import type { AttrMap, AttrValue } from '../otlp/types.ts';
import { record, unflatten } from './values.ts';

/** Attribute reader with consumption tracking. */
export class AttrBag {
  readonly #raw: AttrMap;
  readonly #keys: string[];
  readonly #used = new Set<string>();

  constructor(raw: AttrMap) {
    // Decoders build null-prototype maps; anything else is copied into one, so that plain
    // indexing is safe (`constructor`, `__proto__` are data) and fast (this is the hot path).
    if (Object.getPrototypeOf(raw) === null) this.#raw = raw;
    else {
      this.#raw = record<AttrValue>();
      for (const [k, v] of Object.entries(raw)) this.#raw[k] = v;
    }
    this.#keys = Object.keys(this.#raw);
  }

  /** The value of `key`. */
  get(key: string): AttrValue | undefined {
    return this.#raw[key];
  }

  /** True when the attribute is present (even with a null value). */
  has(key: string): boolean {
    return key in this.#raw;
  }

  /** Marks keys as mapped: they leave `attributes`. */
  consume(...keys: string[]): void {
    for (const k of keys) this.#used.add(k);
  }

  /**
   * The first of `keys` whose value `read` accepts, consumed; the rest stay raw so nothing a
   * lower-precedence source said is lost.
   */
  pick<T>(keys: readonly string[], read: (value: AttrValue) => T | undefined): T | undefined {
    for (const key of keys) {
      const raw = this.get(key);
      if (raw === undefined) continue;
      const value = read(raw);
      if (value !== undefined) {
        this.#used.add(key);
        return value;
      }
    }
    return undefined;
  }

  /** All keys in arrival order. */
  keys(): string[] {
    return this.#keys;
  }

  /** `[suffix, value]` for every key under `prefix` (which ends with a dot). */
  under(prefix: string): [string, AttrValue][] {
    const out: [string, AttrValue][] = [];
    for (const key of this.#keys) {
      if (key.length > prefix.length && key.startsWith(prefix))
        out.push([key.slice(prefix.length), this.#raw[key]!]);
    }
    return out;
  }

  /** True when some key starts with `prefix`. */
  hasPrefix(prefix: string): boolean {
    for (const key of this.#keys) if (key.startsWith(prefix)) return true;
    return false;
  }

  /** The flattened keys under `prefix` rebuilt into nested data, or undefined when there are none. */
  nested(prefix: string): unknown {
    const entries = this.under(prefix);
    return entries.length === 0 ? undefined : unflatten(entries);
  }

  /** Consumes every key under `prefix`. */
  consumePrefix(prefix: string): void {
    for (const key of this.#keys) if (key.startsWith(prefix)) this.#used.add(key);
  }

  /** The attributes nobody consumed, in arrival order. */
  rest(): Record<string, AttrValue> {
    const out = record<AttrValue>();
    for (const key of this.#keys) if (!this.#used.has(key)) out[key] = this.#raw[key]!;
    return out;
  }
}
