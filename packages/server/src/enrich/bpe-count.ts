/**
 * Counts BPE tokens in linear-logarithmic time. js-tiktoken merges a pre-tokenizer piece by
 * rescanning every pair after each merge, joining byte arrays into strings for each look-up: the
 * cost grows with the cube of a piece's length, and an unbroken run of letters is one piece
 * (15,000 × `Z` froze the server for 11 s, 20,000 CJK characters for 396 s; issue 11). This
 * counter reads the same vocabulary files and gives the same counts, merging with a priority
 * queue of adjacent pairs (lowest rank first, leftmost on ties — tiktoken's order) so a piece of
 * n bytes costs O(n log n).
 */

/** A vocabulary as js-tiktoken's rank files ship it. */
export interface BpeRanks {
  pat_str: string;
  bpe_ranks: string;
}

/** Counts the tokens of texts for one vocabulary. */
export interface BpeCounter {
  /** Tokens in `text`; special-token strings count as plain text. */
  count(text: string): number;
}

/**
 * Builds a counter from a rank file (about 0.3 s for o200k). The vocabulary is held in typed
 * arrays — about 6 MB for o200k, 3 MB for cl100k, outside the JavaScript heap — rather than in a
 * Map of 200,000 strings: V8 does not trace typed arrays' contents, so every major collection no
 * longer marks the vocabulary (about 25 MB and 300,000 objects of live heap with a Map), and a
 * count allocates no strings.
 */
export function createBpeCounter(source: BpeRanks): BpeCounter {
  const table = RankTable.parse(source.bpe_ranks);
  const pattern = new RegExp(source.pat_str, 'gu');
  // The UTF-8 bytes of the piece being counted; every piece fits in 3 bytes per UTF-16 unit.
  let scratch = Buffer.allocUnsafe(1_024);
  return {
    count(text: string): number {
      let tokens = 0;
      for (const match of text.matchAll(pattern)) {
        const piece = match[0];
        if (piece.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(piece.length * 3);
        tokens += countPiece(scratch, scratch.write(piece, 0, 'utf8'), table);
      }
      return tokens;
    },
  };
}

/** Token byte strings and their ranks, found by an open-addressing hash of the bytes. */
class RankTable {
  /** Every token's bytes, one after another. */
  readonly #bytes: Uint8Array;
  /** Token i's bytes are `#bytes[#starts[i], #starts[i + 1])`. */
  readonly #starts: Int32Array;
  readonly #ranks: Int32Array;
  /** Token index + 1 per slot, 0 for empty; a power of two at least twice the token count. */
  readonly #slots: Int32Array;

  private constructor(bytes: Uint8Array, starts: Int32Array, ranks: Int32Array, slots: Int32Array) {
    this.#bytes = bytes;
    this.#starts = starts;
    this.#ranks = ranks;
    this.#slots = slots;
  }

  /** Rank file lines are `! <first rank> <base64 token> <base64 token> …`. */
  static parse(compressed: string): RankTable {
    const lines = compressed.split('\n').map((line) => line.split(' '));
    let count = 0;
    let byteBound = 0;
    for (const fields of lines) {
      for (let i = 2; i < fields.length; i++) byteBound += Math.ceil((fields[i]!.length * 3) / 4);
      count += Math.max(0, fields.length - 2);
    }
    const bytes = Buffer.alloc(byteBound);
    const starts = new Int32Array(count + 1);
    const ranks = new Int32Array(count);
    let size = 1;
    while (size < count * 2) size *= 2;
    const table = new RankTable(bytes, starts, ranks, new Int32Array(size));
    let token = 0;
    let end = 0;
    for (const fields of lines) {
      if (fields.length < 2) continue;
      const offset = Number.parseInt(fields[1]!, 10);
      for (let i = 2; i < fields.length; i++) {
        starts[token] = end;
        end += bytes.write(fields[i]!, end, 'base64');
        starts[token + 1] = end;
        ranks[token] = offset + i - 2;
        table.#insert(token++);
      }
    }
    return table;
  }

  /** The rank of `piece[start, end)`, or -1 when it is not a token. */
  rank(piece: Uint8Array, start: number, end: number): number {
    const mask = this.#slots.length - 1;
    for (let slot = hashBytes(piece, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot]!;
      if (entry === 0) return -1;
      if (this.#equals(entry - 1, piece, start, end)) return this.#ranks[entry - 1]!;
    }
  }

  /** Adds token `index`; a token listed twice keeps its later rank, as a Map would. */
  #insert(index: number): void {
    const start = this.#starts[index]!;
    const end = this.#starts[index + 1]!;
    const mask = this.#slots.length - 1;
    for (let slot = hashBytes(this.#bytes, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot]!;
      if (entry === 0 || this.#equals(entry - 1, this.#bytes, start, end)) {
        this.#slots[slot] = index + 1;
        return;
      }
    }
  }

  #equals(token: number, piece: Uint8Array, start: number, end: number): boolean {
    const from = this.#starts[token]!;
    if (this.#starts[token + 1]! - from !== end - start) return false;
    for (let i = 0; i < end - start; i++) if (this.#bytes[from + i] !== piece[start + i]) return false;
    return true;
  }
}

/** FNV-1a over `bytes[start, end)`. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 2_166_136_261;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 16_777_619);
  return h >>> 0;
}

/** Tokens in one pre-tokenizer piece, given as its first `n` UTF-8 bytes in `bytes`. */
function countPiece(bytes: Uint8Array, n: number, ranks: RankTable): number {
  if (n <= 1 || ranks.rank(bytes, 0, n) >= 0) return n === 0 ? 0 : 1;
  // Part i covers bytes [i, next[i]); parts only grow by absorbing their right neighbour, so a
  // part is named by its first byte for its whole life.
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  const heap = new PairHeap();
  const pushPair = (left: number): void => {
    const right = next[left]!;
    if (left < 0 || right >= n) return;
    const rightEnd = next[right]!;
    const rank = ranks.rank(bytes, left, rightEnd);
    if (rank >= 0) heap.push(rank, left, rightEnd);
  };
  for (let i = 0; i < n - 1; i++) pushPair(i);
  let parts = n;
  while (heap.size > 0) {
    const { left, rightEnd } = heap.pop();
    const right = next[left]!;
    // Stale entries: the left part was absorbed, or either part grew since the pair was ranked.
    if (right >= n || next[right] !== rightEnd || prev[right] !== left) continue;
    next[left] = rightEnd;
    if (rightEnd < n) prev[rightEnd] = left;
    prev[right] = -2; // absorbed
    parts--;
    if (prev[left]! >= 0) pushPair(prev[left]!);
    pushPair(left);
  }
  return parts;
}

/** A binary min-heap of (rank, left) pairs with the pair's end, ordered by rank then position. */
class PairHeap {
  #rank: number[] = [];
  #left: number[] = [];
  #end: number[] = [];

  get size(): number {
    return this.#rank.length;
  }

  push(rank: number, left: number, rightEnd: number): void {
    this.#rank.push(rank);
    this.#left.push(left);
    this.#end.push(rightEnd);
    let i = this.#rank.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  pop(): { left: number; rightEnd: number } {
    const top = { left: this.#left[0]!, rightEnd: this.#end[0]! };
    const last = this.#rank.length - 1;
    this.#swap(0, last);
    this.#rank.pop();
    this.#left.pop();
    this.#end.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < last && this.#less(l, smallest)) smallest = l;
      if (r < last && this.#less(r, smallest)) smallest = r;
      if (smallest === i) return top;
      this.#swap(i, smallest);
      i = smallest;
    }
  }

  #less(a: number, b: number): boolean {
    const ra = this.#rank[a]!;
    const rb = this.#rank[b]!;
    return ra < rb || (ra === rb && this.#left[a]! < this.#left[b]!);
  }

  #swap(a: number, b: number): void {
    [this.#rank[a], this.#rank[b]] = [this.#rank[b]!, this.#rank[a]!];
    [this.#left[a], this.#left[b]] = [this.#left[b]!, this.#left[a]!];
    [this.#end[a], this.#end[b]] = [this.#end[b]!, this.#end[a]!];
  }
}
