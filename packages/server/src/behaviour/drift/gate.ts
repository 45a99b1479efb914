/**
 * Bounds the comparisons running at once. A comparison is CPU work on the event loop (the
 * classifier, permutations, the projection), so a few at a time keep ingest acks and queries
 * flowing; a bounded queue waits, and past it a request is answered 503 OVERLOADED with
 * `Retry-After` instead of piling up.
 */
import { ArgusError } from '../../errors.ts';

/** The gate. */
export class ComparisonGate {
  readonly #maxRunning: number;
  readonly #maxWaiting: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(options: { maxRunning: number; maxWaiting: number }) {
    this.#maxRunning = options.maxRunning;
    this.#maxWaiting = options.maxWaiting;
  }

  /** Comparisons running now. */
  get running(): number {
    return this.#running;
  }

  /**
   * Runs `work` when a slot is free.
   * @throws ArgusError OVERLOADED when the queue is full.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#maxRunning) {
      if (this.#waiting.length >= this.#maxWaiting)
        throw new ArgusError(
          'OVERLOADED',
          `Cannot compare now: ${this.#running} comparisons are running and ${this.#waiting.length} waiting; retry shortly`,
          { retryAfterSeconds: 5 },
        );
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot to the next waiter, or free it.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
