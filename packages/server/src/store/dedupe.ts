/**
 * Remembers recently accepted rows so a retried export is not stored twice (OTLP exporters
 * retry on timeouts and 5xx, and a retry after a lost acknowledgement repeats rows that were
 * already written). Two generations of bounded maps: when the young one is full it becomes the
 * old one and the previous old one is dropped, so memory stays bounded and recent keys survive.
 * A key is two numbers (52 + 32 bits), so a false "duplicate" needs both halves to collide.
 */

/** A bounded set of recently seen row keys. */
export class RecentKeys {
  #young = new Map<number, number>();
  #old = new Map<number, number>();
  readonly #generationSize: number;

  /** @param capacity most keys remembered (about 50 bytes each); 0 turns deduplication off. */
  constructor(capacity: number) {
    this.#generationSize = Math.max(0, Math.floor(capacity / 2));
  }

  /** True when the key was seen within the window. */
  has(high: number, low: number): boolean {
    return this.#young.get(high) === low || this.#old.get(high) === low;
  }

  /** Remembers a key. */
  add(high: number, low: number): void {
    if (this.#generationSize === 0) return;
    if (this.#young.size >= this.#generationSize) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(high, low);
  }

  /** Forgets a key (its write failed, so a retry must be accepted). */
  delete(high: number, low: number): void {
    if (this.#young.get(high) === low) this.#young.delete(high);
    if (this.#old.get(high) === low) this.#old.delete(high);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}

/** Key of a span: 52 bits of its span id and 32 bits of its trace id. */
export function spanKey(traceId: string, spanId: string): [number, number] {
  return [Number.parseInt(spanId.slice(0, 13), 16) || 0, Number.parseInt(traceId.slice(-8), 16) || 0];
}

/** Key of any text (metric points, log records): two independent 53/32-bit hashes. */
export function textKey(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  let h3 = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
    h3 = Math.imul(h3 ^ c, 16777619);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [4294967296 * (2097151 & h2) + (h1 >>> 0), h3 >>> 0];
}
