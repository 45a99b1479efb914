/**
 * The smallest SQL seam both metadata engines share: `$1, $2 …` placeholders, rows as plain
 * objects. SQLite (node:sqlite, built into Node) and PostgreSQL (`pg`) implement it, so the
 * repository above is written once.
 */

/** A bound SQL value. */
export type SqlValue = string | number | bigint | null;

/** A SQL engine for metadata. */
export interface SqlClient {
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Runs `fn` in one transaction; a throw rolls it back. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
