/**
 * Connection health as the gateway sees it: answers and failures per connection, and the
 * cool-down after a failure (429, 5xx, timeout, network) during which routing tries the
 * connection last. In memory, per server process.
 */

interface Entry {
  requests: number;
  failures: number;
  coolUntil: number;
  lastError: string | undefined;
}

/** Health of every connection the gateway has called. */
export class ConnectionHealth {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  #entry(id: string): Entry {
    let entry = this.#entries.get(id);
    if (!entry) {
      entry = { requests: 0, failures: 0, coolUntil: 0, lastError: undefined };
      this.#entries.set(id, entry);
    }
    return entry;
  }

  /** A call through the connection was answered (not a retryable failure). */
  succeeded(id: string): void {
    const entry = this.#entry(id);
    entry.requests++;
    entry.coolUntil = 0;
  }

  /** A call failed: the connection cools down for `cooldownMs` (or the provider's Retry-After, if longer). */
  failed(id: string, error: string, cooldownMs: number, retryAfterMs = 0): void {
    const entry = this.#entry(id);
    entry.requests++;
    entry.failures++;
    entry.lastError = error;
    entry.coolUntil = this.#now() + Math.max(cooldownMs, retryAfterMs);
  }

  isCooling(id: string): boolean {
    return (this.#entries.get(id)?.coolUntil ?? 0) > this.#now();
  }

  /** Counters and cool-down of a connection (zeros when never called). */
  of(id: string): { requests: number; failures: number; coolingDownUntil?: string; lastError?: string } {
    const entry = this.#entries.get(id);
    if (!entry) return { requests: 0, failures: 0 };
    return {
      requests: entry.requests,
      failures: entry.failures,
      ...(entry.coolUntil > this.#now() ? { coolingDownUntil: new Date(entry.coolUntil).toISOString() } : {}),
      ...(entry.lastError ? { lastError: entry.lastError } : {}),
    };
  }
}
