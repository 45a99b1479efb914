/**
 * Runs created without an end time wait here for their update, so that a run posted then
 * patched becomes ONE span. The map is bounded by entries, bytes and age: past a bound the
 * oldest run leaves as incomplete (the caller writes it with `argus.incomplete = true`).
 *
 * Durability trade-off: a pending run lives only in memory. If the server crashes before its
 * update arrives, the run is lost (an update arriving after a restart still becomes a span, as
 * the SDKs repeat the run's identity, times and tree in every update, but the inputs sent only
 * with the create are gone). A completed run gets the normal guarantee: it is acknowledged only
 * once the store has it. A graceful shutdown writes every pending run as incomplete.
 */
import type { LangsmithRun } from './run.ts';

/** Bounds of the pending map. */
export interface PendingLimits {
  /** Most runs held. */
  maxRuns: number;
  /** Most bytes held (approximate JSON size of the held runs). */
  maxBytes: number;
  /** How long a run may wait for its update, ms. */
  ttlMs: number;
}

/** A held run and the project it was sent to. */
export interface HeldRun {
  projectId: string;
  run: LangsmithRun;
}

interface Entry {
  run: HeldRun;
  bytes: number;
  expiresAt: number;
}

/** Insertion-ordered pending runs per `project/run id`; oldest first. */
export class PendingRuns {
  readonly #limits: PendingLimits;
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(limits: PendingLimits) {
    this.#limits = limits;
  }

  /** Runs held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Approximate bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True when the run is held. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** A held run, left in place. */
  get(key: string): HeldRun | undefined {
    return this.#entries.get(key)?.run;
  }

  /** Removes and returns a held run. */
  take(key: string): HeldRun | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    return entry.run;
  }

  /**
   * Holds a run (replacing an older copy, which keeps its place in the age order) and returns
   * the runs pushed out by the entry and byte bounds, oldest first.
   */
  put(key: string, run: HeldRun, bytes: number, now = Date.now()): HeldRun[] {
    const old = this.#entries.get(key);
    if (old !== undefined) this.#bytes -= old.bytes;
    this.#entries.set(key, { run, bytes, expiresAt: old?.expiresAt ?? now + this.#limits.ttlMs });
    this.#bytes += bytes;
    const evicted: HeldRun[] = [];
    for (const [oldestKey] of this.#entries) {
      if (this.#entries.size <= this.#limits.maxRuns && this.#bytes <= this.#limits.maxBytes) break;
      evicted.push(this.take(oldestKey)!);
    }
    return evicted;
  }

  /** Removes and returns the runs whose time is up, oldest first. */
  expire(now = Date.now()): HeldRun[] {
    const expired: HeldRun[] = [];
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break; // insertion order is expiry order
      expired.push(this.take(key)!);
    }
    return expired;
  }

  /** Removes and returns every held run. */
  drain(): HeldRun[] {
    const all = [...this.#entries.values()].map((e) => e.run);
    this.#entries.clear();
    this.#bytes = 0;
    return all;
  }
}
