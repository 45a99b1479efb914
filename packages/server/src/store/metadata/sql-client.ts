/**
 * The smallest SQL seam both metadata engines share: `$1, $2 …` placeholders, rows as plain
 * objects. SQLite (node:sqlite, built into Node) and PostgreSQL (`pg`) implement it, so the
 * repository above is written once.
 */

/** A bound SQL value. */
export type SqlValue = string | number | bigint | null;

/** How a transaction commits. */
export interface TransactionOptions {
  /**
   * `false`: the commit survives a crash of the process (kill -9) but may be lost to a power cut
   * or an OS crash — it is not flushed to the disk before the transaction ends (SQLite: no fsync
   * at commit; PostgreSQL: `synchronous_commit = off`). For bookkeeping that is taken again or
   * recomputed (leases, cursors, counters): on SQLite a durable commit is an fsync that holds the
   * event loop (0.2 ms typical, 8 ms p99 on the development machine), which every gateway call
   * and ingest acknowledgement waiting behind it pays. Default `true`.
   */
  durable?: boolean;
}

/** A SQL engine for metadata. */
export interface SqlClient {
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * One statement in its own transaction. `durable: false` applies to SQLite's commit only (no
   * fsync); PostgreSQL commits it as usual — its commit does not hold the event loop.
   */
  run(sql: string, params?: readonly SqlValue[], options?: TransactionOptions): Promise<{ changes: number }>;
  /** Runs `fn` in one transaction; a throw rolls it back. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}
