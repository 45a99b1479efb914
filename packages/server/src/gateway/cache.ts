/**
 * The opt-in exact-match response cache: the key is the project, the endpoint and the request
 * body's exact bytes; entries live `ttlSeconds` and the oldest go first past `maxEntries` (a Map
 * in insertion order is the LRU list). A cached stream is replayed event by event as it was sent.
 * In memory, per server process; bodies over 1 MiB are not kept.
 */
import { createHash } from 'node:crypto';

/** One cached answer. */
export interface CachedAnswer {
  status: number;
  headers: Record<string, string>;
  chunks: Buffer[];
  isSse: boolean;
  /** The provider that answered first. */
  provider: string;
  expiresAt: number;
}

/** Largest answer kept. */
export const MAX_CACHED_BYTES = 1024 * 1024;

/** The cache key of a call. */
export function cacheKey(projectId: string, path: string, body: Buffer): string {
  return createHash('sha256')
    .update(projectId)
    .update('\u0000')
    .update(path)
    .update('\u0000')
    .update(body)
    .digest('hex');
}

/** The response cache. */
export class ResponseCache {
  readonly #entries = new Map<string, CachedAnswer>();
  readonly #now: () => number;
  hits = 0;
  misses = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The fresh entry of a key (counted as a hit or a miss). */
  get(key: string): CachedAnswer | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > this.#now()) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.hits++;
      return entry;
    }
    if (entry) this.#entries.delete(key);
    this.misses++;
    return undefined;
  }

  /** Keeps an answer for `ttlSeconds`, dropping the least recently used past `maxEntries`. */
  set(key: string, answer: Omit<CachedAnswer, 'expiresAt'>, ttlSeconds: number, maxEntries: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { ...answer, expiresAt: this.#now() + ttlSeconds * 1000 });
    while (this.#entries.size > maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
