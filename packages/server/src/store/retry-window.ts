/**
 * The retry filter's memory (issue 11, finding 3): recently accepted rows as seven 32-bit words
 * each in open-addressing typed-array tables (no object per key), two generations so the oldest
 * half is dropped when the window is full — about 40 bytes per row, against ~117 for a Set of
 * strings (bench/store-path.bench.ts).
 *
 * A span is remembered exactly: its project, 128-bit trace id and 64-bit span id. Log records and
 * metric points have no id: a per-process seeded 96-bit hash of the whole row (project included)
 * stands for it, so a sender cannot craft a row that is taken for another project's.
 */
import { randomBytes } from 'node:crypto';

/** Words per key: project number, four of the trace id, two of the span id. */
const WORDS = 7;
/** Slots per key a table holds: lookups stay short and memory bounded. */
const LOAD = 0.7;

// Per-process seeds: a sender cannot choose ids that pile up in one probe chain.
const [SEED_A, SEED_B] = [...new Uint32Array(randomBytes(8).buffer)] as [number, number];

/** The identity of a span the window compares. */
export interface SpanIdentity {
  projectId: string;
  traceId: string;
  spanId: string;
}

/**
 * The 32-bit word of the eight hex digits at `from` (ids are lowercase hex: read digit by digit);
 * anything else is read as `parseInt(…, 16)` reads it (a prefix, a sign, `0x`), NaN as 0.
 */
export function hexWord(text: string, from: number): number {
  if (from + 8 <= text.length) {
    let word = 0;
    for (let i = from; i < from + 8; i++) {
      const c = text.charCodeAt(i);
      const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (digit < 0) return parsedWord(text, from);
      word = word * 16 + digit;
    }
    return word >>> 0;
  }
  return parsedWord(text, from);
}

function parsedWord(text: string, from: number): number {
  const word = Number.parseInt(text.slice(from, from + 8), 16);
  return Number.isNaN(word) ? 0 : word >>> 0;
}

/** One fixed-size open-addressing table of keys (linear probing, backward-shift deletion). */
class KeyTable {
  readonly #slots: number;
  readonly #data: Uint32Array;
  size = 0;

  constructor(maxKeys: number) {
    this.#slots = Math.max(16, Math.ceil(maxKeys / LOAD));
    this.#data = new Uint32Array(this.#slots * WORDS);
  }

  #home(key: Uint32Array): number {
    let h = SEED_A;
    for (let i = 0; i < WORDS; i++) h = Math.imul(h ^ key[i]!, 0x9e3779b1) ^ (h >>> 15);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ SEED_B;
    return (h >>> 0) % this.#slots;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  #find(key: Uint32Array): number {
    const data = this.#data;
    let slot = this.#home(key);
    for (;;) {
      const at = slot * WORDS;
      if (data[at] === 0) return slot;
      let same = true;
      for (let i = 0; i < WORDS; i++) {
        if (data[at + i] !== key[i]) {
          same = false;
          break;
        }
      }
      if (same) return slot;
      slot = slot + 1 === this.#slots ? 0 : slot + 1;
    }
  }

  has(key: Uint32Array): boolean {
    return this.#data[this.#find(key) * WORDS] !== 0;
  }

  add(key: Uint32Array): void {
    const at = this.#find(key) * WORDS;
    if (this.#data[at] !== 0) return;
    this.#data.set(key, at);
    this.size++;
  }

  delete(key: Uint32Array): void {
    const data = this.#data;
    let hole = this.#find(key);
    if (data[hole * WORDS] === 0) return;
    // Shift later members of the probe run back so none is cut off from its home slot.
    let next = hole;
    for (;;) {
      next = next + 1 === this.#slots ? 0 : next + 1;
      const at = next * WORDS;
      if (data[at] === 0) break;
      const home = this.#home(data.subarray(at, at + WORDS));
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      data.copyWithin(hole * WORDS, at, at + WORDS);
      hole = next;
    }
    data.fill(0, hole * WORDS, hole * WORDS + WORDS);
    this.size--;
  }
}

/** Two generations of tables: adds go to the young one; a full young one becomes the old one. */
class Generations {
  readonly #generationSize: number;
  #young: KeyTable | undefined;
  #old: KeyTable | undefined;

  constructor(capacity: number) {
    this.#generationSize = Math.max(0, Math.floor(capacity / 2));
    if (this.#generationSize > 0) this.#young = new KeyTable(this.#generationSize);
  }

  get isOff(): boolean {
    return this.#young === undefined;
  }

  has(key: Uint32Array): boolean {
    return this.#young?.has(key) === true || this.#old?.has(key) === true;
  }

  add(key: Uint32Array): void {
    if (this.#young === undefined) return;
    if (this.#young.size >= this.#generationSize) {
      this.#old = this.#young;
      this.#young = new KeyTable(this.#generationSize);
    }
    this.#young.add(key);
  }

  delete(key: Uint32Array): void {
    this.#young?.delete(key);
    this.#old?.delete(key);
  }

  get size(): number {
    return (this.#young?.size ?? 0) + (this.#old?.size ?? 0);
  }
}

/** Most distinct project ids numbered before the numbering (and the window) starts over. */
const MAX_PROJECTS = 65_536;

/** A bounded window of recently accepted items, each compared by the key a subclass makes of it. */
abstract class KeyedWindow<T> {
  #tables: Generations;
  readonly #capacity: number;
  /** Scratch words `keyOf` writes a key into (one key is in use at a time). */
  protected readonly key = new Uint32Array(WORDS);

  /** @param capacity most items remembered (about 40 bytes each); 0 turns deduplication off. */
  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#tables = new Generations(capacity);
  }

  /** The item's key, written into {@link key}; word 0 is never 0 (0 marks an empty slot). */
  protected abstract keyOf(item: T): Uint32Array;

  /** Forgets every item. */
  protected clear(): void {
    this.#tables = new Generations(this.#capacity);
  }

  /** True when the item was accepted within the window. */
  has(item: T): boolean {
    return !this.#tables.isOff && this.#tables.has(this.keyOf(item));
  }

  /** Remembers an item. */
  add(item: T): void {
    if (!this.#tables.isOff) this.#tables.add(this.keyOf(item));
  }

  /** Forgets an item (its write failed, so a retry must be accepted). */
  delete(item: T): void {
    if (!this.#tables.isOff) this.#tables.delete(this.keyOf(item));
  }

  get size(): number {
    return this.#tables.size;
  }
}

/** A bounded window of recently accepted spans, compared by their whole identity. */
export class SpanWindow extends KeyedWindow<SpanIdentity> {
  readonly #projects = new Map<string, number>();

  /** The span's key in the scratch words (project numbers start at 1: 0 marks an empty slot). */
  protected keyOf(span: SpanIdentity): Uint32Array {
    let project = this.#projects.get(span.projectId);
    if (project === undefined) {
      // Bounded like the window itself: past the cap, forget (a retry may then be stored again).
      if (this.#projects.size >= MAX_PROJECTS) {
        this.#projects.clear();
        this.clear();
      }
      project = this.#projects.size + 1;
      this.#projects.set(span.projectId, project);
    }
    const key = this.key;
    key[0] = project;
    key[1] = hexWord(span.traceId, 0);
    key[2] = hexWord(span.traceId, 8);
    key[3] = hexWord(span.traceId, 16);
    key[4] = hexWord(span.traceId, 24);
    key[5] = hexWord(span.spanId, 0);
    key[6] = hexWord(span.spanId, 8);
    return key;
  }
}

// Per-process seeds of the row hash.
const [ROW_SEED1, ROW_SEED2, ROW_SEED3] = [...new Uint32Array(randomBytes(12).buffer)] as [
  number,
  number,
  number,
];

/** A bounded window of recently accepted rows without an id (log records, metric points). */
export class RowWindow extends KeyedWindow<string> {
  /** Three independent seeded 32-bit hashes of the row's text; word 0 is 1 (never empty). */
  protected keyOf(row: string): Uint32Array {
    let h1 = 0xdeadbeef ^ ROW_SEED1;
    let h2 = 0x41c6ce57 ^ ROW_SEED2;
    let h3 = 0x811c9dc5 ^ ROW_SEED3;
    for (let i = 0; i < row.length; i++) {
      const c = row.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
      h3 = Math.imul(h3 ^ c, 16777619);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    h3 = Math.imul(h3 ^ (h3 >>> 15), 2246822507) ^ h1;
    const key = this.key;
    key[0] = 1;
    key[1] = h1 >>> 0;
    key[2] = h2 >>> 0;
    key[3] = h3 >>> 0;
    key[4] = row.length;
    key[5] = 0;
    key[6] = 0;
    return key;
  }
}
