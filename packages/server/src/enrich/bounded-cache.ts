/**
 * A Map with a size cap that evicts the least recently used key. Lookups run for every span
 * (tens of thousands a second) over a small, repetitive set of model names.
 */
export class BoundedCache<K, V> {
  readonly #maxSize: number;
  readonly #map = new Map<K, V>();

  /** @param maxSize entries kept before the least recently used one is dropped (≥ 1). */
  constructor(maxSize: number) {
    this.#maxSize = Math.max(1, Math.floor(maxSize));
  }

  /** Number of cached entries. */
  get size(): number {
    return this.#map.size;
  }

  /** True when `key` is cached. */
  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** The cached value, marking it most recently used; `undefined` when absent. */
  get(key: K): V | undefined {
    if (!this.#map.has(key)) return undefined;
    const value = this.#map.get(key) as V;
    // Re-inserting moves the key to the end of the Map's insertion order.
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    if (this.#map.has(key)) this.#map.delete(key);
    else if (this.#map.size >= this.#maxSize) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    this.#map.set(key, value);
  }
}
