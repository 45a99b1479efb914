/**
 * Token buckets keyed by caller (an API key, a user, a login name): `rate` tokens per second
 * with bursts up to `burst`. A refused take answers how long until a token is back, which the
 * API sends as `Retry-After`. Buckets live in this process (per instance, documented); idle
 * ones are dropped so the map stays bounded.
 */

interface Bucket {
  tokens: number;
  updatedMs: number;
  rate: number;
  burst: number;
}

/** Outcome of {@link RateLimiter.take}. */
export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** One family of buckets (e.g. ingest requests per key). */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: { maxKeys?: number; now?: () => number } = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Takes one token from `key`'s bucket of `rate`/s and `burst` capacity.
   * A rate of 0 means unlimited.
   */
  take(key: string, rate: number, burst = rate * 2): TakeResult {
    return this.#check(key, rate, burst, true);
  }

  /** Like {@link take} but consumes nothing: would a take succeed now? */
  peek(key: string, rate: number, burst = rate * 2): TakeResult {
    return this.#check(key, rate, burst, false);
  }

  #check(key: string, rate: number, burst: number, consume: boolean): TakeResult {
    if (rate <= 0) return { ok: true };
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (!consume) return { ok: true };
      if (this.#buckets.size >= this.#maxKeys) this.#evict(now);
      bucket = { tokens: burst, updatedMs: now, rate, burst };
      this.#buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * rate);
      bucket.updatedMs = now;
      bucket.rate = rate;
      bucket.burst = burst;
    }
    if (bucket.tokens >= 1) {
      if (consume) bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) };
  }

  /** Gives back a token taken by {@link take} (an attempt that turned out not to count). */
  refund(key: string): void {
    const bucket = this.#buckets.get(key);
    if (bucket) bucket.tokens = Math.min(bucket.burst, bucket.tokens + 1);
  }

  /** Empties a key's bucket record (a successful login forgets earlier failures). */
  reset(key: string): void {
    this.#buckets.delete(key);
  }

  /** Drops buckets that have refilled (they are equivalent to absent ones), else the oldest. */
  #evict(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.updatedMs) / 1000) * bucket.rate >= bucket.burst)
        this.#buckets.delete(key);
    }
    if (this.#buckets.size >= this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
  }
}
