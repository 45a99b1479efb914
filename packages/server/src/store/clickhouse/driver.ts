/**
 * The thin seam between Argus and a ClickHouse engine. Two implementations speak the same SQL:
 * chDB in-process (embedded default) and `@clickhouse/client` (a server or cluster; in tests
 * also chDB through its `chdb/connection` hook, so the client code is exercised here).
 */

import { setImmediate as nextTurn } from 'node:timers/promises';

/** Query parameters bound server-side to `{name:Type}` placeholders. */
export type QueryParams = Record<
  string,
  string | number | boolean | bigint | readonly string[] | readonly number[]
>;

/** How a query's rows are read. */
export interface ReadOptions {
  /**
   * Parse the rows this many at a time, yielding to the event loop between: for a background
   * read of many wide rows, whose single parse would hold up requests for tens of milliseconds.
   */
  yieldEveryRows?: number;
}

/** `fn` over `items`, `every` at a time with a turn of the event loop between. */
export async function mapYielding<T, U>(
  items: readonly T[],
  every: number,
  fn: (item: T, index: number) => U,
): Promise<U[]> {
  const out: U[] = [];
  for (const item of items) {
    if (out.length > 0 && out.length % every === 0) await nextTurn();
    out.push(fn(item, out.length));
  }
  return out;
}

/**
 * Parses JSONEachRow output, `every` rows at a time with a turn of the event loop between. Given
 * bytes, each row is decoded on its own: a string of the whole result (megabytes for a feed read)
 * would be allocated straight in V8's old generation (any object over 128 KB is), where a few
 * such reads a second brought a full collection every few seconds.
 */
export function parseRowsYielding<T>(output: string | Uint8Array, every: number): Promise<T[]> {
  if (typeof output === 'string') {
    const lines = output.split('\n').filter((line) => line !== '');
    return mapYielding(lines, every, (line) => JSON.parse(line) as T);
  }
  const bytes = Buffer.from(output.buffer, output.byteOffset, output.byteLength);
  const starts: number[] = [];
  const ends: number[] = [];
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    if (end > start) {
      starts.push(start);
      ends.push(end);
    }
    start = end + 1;
  }
  return mapYielding(starts, every, (start, i) => JSON.parse(bytes.toString('utf8', start, ends[i])) as T);
}

/** A ClickHouse engine Argus can talk to. */
export interface ClickhouseDriver {
  /** `chdb` (in-process) or `client` (`@clickhouse/client`). */
  readonly kind: 'chdb' | 'client';
  /** Runs a SELECT and returns its rows (64-bit integers arrive as strings). */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams, options?: ReadOptions): Promise<T[]>;
  /** Runs a statement that returns nothing (DDL, ALTER, INSERT … SELECT). */
  exec(sql: string, params?: QueryParams): Promise<void>;
  /** Inserts TabSeparated lines (`\n`-separated, values in `columns` order) as one insert. */
  insertTsv(table: string, columns: readonly string[], body: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** Settings every query runs with, so a runaway query cannot take the process down. */
export function querySettings(timeoutMs: number): Record<string, string | number> {
  return {
    max_execution_time: Math.max(1, Math.ceil(timeoutMs / 1000)),
    output_format_json_quote_64bit_integers: 1,
  };
}

/** Settings for inserts: one insert becomes one part (atomic), and MVs run in parallel. */
export const INSERT_SETTINGS: Readonly<Record<string, string | number>> = {
  max_insert_block_size: 10_000_000,
  min_insert_block_size_rows: 10_000_000,
  min_insert_block_size_bytes: 1024 ** 3,
  parallel_view_processing: 1,
  date_time_input_format: 'best_effort',
};

/**
 * The embedded engine does not build the full-text indexes while inserting (issue 20): the first
 * merge of a part builds them, as every merge rebuilds the indexes of the part it writes, so
 * building them at insert too was paid twice — ~30 µs of ~90 µs of engine CPU per stored row.
 * Searches read parts without them by scanning (correct, slower only on the newest parts). Given
 * to chDB only: a ClickHouse server older than the setting would refuse the insert.
 */
export const EMBEDDED_INSERT_SETTINGS: Readonly<Record<string, string | number>> = {
  exclude_materialize_skip_indexes_on_insert: 'idx_fts_input,idx_fts_output,idx_fts_content',
  // The insert's threads run at nice 10 (engine-priority.ts): the engine shares the server's
  // process, and an insert of logged rows must not hold up the requests being answered.
  os_thread_priority: 10,
};
