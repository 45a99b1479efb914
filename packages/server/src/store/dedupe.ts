/**
 * Remembers recently accepted log records and metric points so a retried export is not stored
 * twice (OTLP exporters retry on timeouts and 5xx, and a retry after a lost acknowledgement
 * repeats rows that were already written). They have no id: the key is a seeded hash of the whole
 * row, project included. Two generations of bounded sets: when the young one is full it becomes
 * the old one and the previous old one is dropped, so memory stays bounded and recent keys
 * survive. Spans, which have ids, are remembered exactly by `span-window.ts`.
 */
import { randomBytes } from 'node:crypto';

/** A bounded set of recently seen row keys. */
export class RecentKeys {
  #young = new Set<string>();
  #old = new Set<string>();
  readonly #generationSize: number;

  /** @param capacity most keys remembered (about 90 bytes each); 0 turns deduplication off. */
  constructor(capacity: number) {
    this.#generationSize = Math.max(0, Math.floor(capacity / 2));
  }

  /** True when the key was seen within the window. */
  has(key: string): boolean {
    return this.#young.has(key) || this.#old.has(key);
  }

  /** Remembers a key. */
  add(key: string): void {
    if (this.#generationSize === 0) return;
    if (this.#young.size >= this.#generationSize) {
      this.#old = this.#young;
      this.#young = new Set();
    }
    this.#young.add(key);
  }

  /** Forgets a key (its write failed, so a retry must be accepted). */
  delete(key: string): void {
    this.#young.delete(key);
    this.#old.delete(key);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}

// Seeds drawn per process: which rows share a hash cannot be worked out from outside, so a
// sender cannot craft a log record that is taken for another project's record.
const [SEED1, SEED2, SEED3] = [...new Uint32Array(randomBytes(12).buffer)] as [number, number, number];

/** Key of a row without an id (metric points, log records): an 85-bit seeded hash of its text. */
export function textKey(text: string): string {
  let h1 = 0xdeadbeef ^ SEED1;
  let h2 = 0x41c6ce57 ^ SEED2;
  let h3 = 0x811c9dc5 ^ SEED3;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
    h3 = Math.imul(h3 ^ c, 16777619);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}.${(h3 >>> 0).toString(36)}`;
}
