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
export interface DedupedInsert<T> {
  table: Exclude<WriterTable, 'scores'>;
  /** The item's name in messages: `span`, `log record`, `metric point`. */
  what: string;
  items: readonly T[];
  recent: RecentItems<T>;
  toRow: (item: T) => string;
  /** Which of those items the store holds, asked after a failed write; absent = cannot tell. */
  findStored?: (items: readonly T[]) => Promise<(item: T) => boolean>;
}

/** Writes the items not seen recently; resolves once they are stored. */
export async function insertDeduped<T>(
  writer: GroupCommitWriter,
  insert: DedupedInsert<T>,
): Promise<InsertResult> {
  const { items, recent, toRow } = insert;
  const lines: string[] = [];
  const written: T[] = [];
  const positions: number[] = [];
  let duplicateIndexes: number[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (recent.has(item)) {
      duplicateIndexes = duplicateIndexes ?? [];
      duplicateIndexes.push(i);
      continue;
    }
    recent.add(item);
    lines.push(toRow(item));
    written.push(item);
    positions.push(i);
  }
  let outcome: WriteResult;
  try {
    outcome = await writer.write(insert.table, lines);
  } catch (error) {
    // Only a failed insert can have stored rows (not a write refused before it was queued, nor
    // one the write-ahead log failed to take: with the log nothing is inserted before it resolves).
    const inserted =
      !writer.logged &&
      isArgusError(error) &&
      (error.code === 'STORAGE_FULL' || error.code === 'STORE_UNAVAILABLE');
    const stored =
      inserted && insert.findStored ? await insert.findStored(written).catch(() => undefined) : undefined;
    const missing = stored ? written.filter((item) => !stored(item)) : written;
    // Rows the store kept stay remembered, so a retry stores only the missing ones.
    for (const item of missing) recent.delete(item);
    if (missing.length > 0) throw error;
    outcome = { rejected: [] };
  }
  for (const index of outcome.rejected) recent.delete(written[index]!);
  const result: InsertResult = {
    inserted: lines.length - outcome.rejected.length,
    duplicates: items.length - lines.length,
  };
  if (duplicateIndexes) result.duplicateIndexes = duplicateIndexes;
  if (outcome.rejected.length > 0) {
    result.rejected = {
      indexes: outcome.rejected.map((index) => positions[index]!),
      message: `Cannot store ${outcome.rejected.length} ${insert.what}(s): the store could not read their values (the server log has the detail)`,
    };
  }
  return result;
}
