/**
 * One write of one request through the group-commit writer, with the retry filter: rows seen
 * recently are skipped as duplicates, rows the store could not read are reported (partial
 * success), and after a failed write the store is asked which rows it kept anyway — a full disk
 * can fail a rollup view after the table's part is written — so the answer matches what is
 * stored and a retried batch is never counted twice (issue 11, finding 6).
 */
import { isArgusError } from '../errors.ts';
import type { GroupCommitWriter, WriteResult, WriterTable } from './writer.ts';

/** What an insert did. */
export interface InsertResult {
  inserted: number;
  duplicates: number;
  /** Ascending indexes of the items skipped as duplicates; absent when there were none. */
  duplicateIndexes?: number[];
  /** Items the store could not read (not stored; a partial-success rejection); absent when none. */
  rejected?: { indexes: number[]; message: string };
}

/** Recently accepted items (the retry filter's window). */
export interface RecentItems<T> {
  has(item: T): boolean;
  add(item: T): void;
  delete(item: T): void;
}

/** One request's items and how to remember, serialize and look them up. */
export interface DedupedInsert<T, Key = T> {
  table: Exclude<WriterTable, 'scores'>;
  /** The item's name in messages: `span`, `log record`, `metric point`. */
  what: string;
  items: readonly T[];
  /**
   * What is kept of an item while its write is under way (default: the item): a span's ids, so
   * the span itself can be collected before the write is acknowledged.
   */
  keyOf?: (item: T) => Key;
  recent: RecentItems<Key>;
  toRow: (item: T) => string;
  /** Which of those items the store holds, asked after a failed write; absent = cannot tell. */
  findStored?: (written: readonly Key[]) => Promise<(key: Key) => boolean>;
}

/** What is left of a write once its rows are handed to the writer: counts, keys and positions. */
interface Written<Key> {
  what: string;
  total: number;
  keys: Key[];
  positions: number[];
  duplicateIndexes: number[] | undefined;
  recent: RecentItems<Key>;
  findStored: ((written: readonly Key[]) => Promise<(key: Key) => boolean>) | undefined;
}

/**
 * Writes the items not seen recently; resolves once they are stored. Nothing of the items is
 * held while the write is under way (up to the acknowledgement, hundreds of milliseconds under
 * load): held that long, every request's spans outlived the young generation (docs/benchmarks.md).
 */
export async function insertDeduped<T, Key = T>(
  writer: GroupCommitWriter,
  insert: DedupedInsert<T, Key>,
): Promise<InsertResult> {
  const { items, recent, toRow } = insert;
  const keyOf = insert.keyOf ?? ((item: T) => item as unknown as Key);
  const lines: string[] = [];
  const keys: Key[] = [];
  const positions: number[] = [];
  let duplicateIndexes: number[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const key = keyOf(item);
    if (recent.has(key)) {
      duplicateIndexes = duplicateIndexes ?? [];
      duplicateIndexes.push(i);
      continue;
    }
    recent.add(key);
    lines.push(toRow(item));
    keys.push(key);
    positions.push(i);
  }
  const written: Written<Key> = {
    what: insert.what,
    total: items.length,
    keys,
    positions,
    duplicateIndexes,
    recent,
    findStored: insert.findStored,
  };
  // Returned, not awaited: this frame (and the items it holds) ends here.
  return settle(writer, writer.write(insert.table, lines), written);
}

async function settle<Key>(
  writer: GroupCommitWriter,
  pending: Promise<WriteResult>,
  w: Written<Key>,
): Promise<InsertResult> {
  let outcome: WriteResult;
  try {
    outcome = await pending;
  } catch (error) {
    // Only a failed insert can have stored rows (not a write refused before it was queued, nor
    // one the write-ahead log failed to take: with the log nothing is inserted before it resolves).
    const inserted =
      !writer.logged &&
      isArgusError(error) &&
      (error.code === 'STORAGE_FULL' || error.code === 'STORE_UNAVAILABLE');
    const stored = inserted && w.findStored ? await w.findStored(w.keys).catch(() => undefined) : undefined;
    const missing = stored ? w.keys.filter((key) => !stored(key)) : w.keys;
    // Rows the store kept stay remembered, so a retry stores only the missing ones.
    for (const key of missing) w.recent.delete(key);
    if (missing.length > 0) throw error;
    outcome = { rejected: [] };
  }
  for (const index of outcome.rejected) w.recent.delete(w.keys[index]!);
  const result: InsertResult = {
    inserted: w.keys.length - outcome.rejected.length,
    duplicates: w.total - w.keys.length,
  };
  if (w.duplicateIndexes) result.duplicateIndexes = w.duplicateIndexes;
  if (outcome.rejected.length > 0) {
    result.rejected = {
      indexes: outcome.rejected.map((index) => w.positions[index]!),
      message: `Cannot store ${outcome.rejected.length} ${w.what}(s): the store could not read their values (the server log has the detail)`,
    };
  }
  return result;
}
