import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SqlClient, SqlValue, TransactionOptions } from './sql-client.ts';

/** `$1` → `?1`: SQLite numbered parameters bind positionally like PostgreSQL's. */
function toSqlite(sql: string): string {
  return sql.replace(/\$(\d+)/g, '?$1');
}

/** Opens (creating if needed) a SQLite metadata database file. */
export function openSqliteClient(file: string): SqlClient {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  // FULL: every commit is flushed to the disk before it returns (the log's frames fsynced), unless
  // the transaction says it need not be (TransactionOptions.durable).
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;',
  );
  const statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(toSqlite(sql));
      statements.set(sql, statement);
    }
    return statement;
  };
  // node:sqlite is synchronous, but a transaction's callback awaits between statements, so other
  // async work can run meanwhile on the same connection. Statements of that other work must not
  // join the open transaction (a rollback would undo them): they wait for it to end. Calls made
  // inside the transaction's callback (tracked with AsyncLocalStorage) join it, as nested calls do.
  const inside = new AsyncLocalStorage<boolean>();
  let open: Promise<void> | undefined;
  const client: SqlClient = {
    dialect: 'sqlite',
    async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
      // The check and the statement run in one synchronous step after the last await.
      while (open !== undefined && inside.getStore() !== true) await open;
      return prepare(sql).all(...params) as T[];
    },
    async run(sql: string, params: readonly SqlValue[] = [], options?: TransactionOptions) {
      while (open !== undefined && inside.getStore() !== true) await open;
      // Inside a transaction the statement commits with it, as the transaction says.
      const relaxed = options?.durable === false && inside.getStore() !== true;
      if (relaxed) db.exec('PRAGMA synchronous = NORMAL');
      try {
        const result = prepare(sql).run(...params);
        return { changes: Number(result.changes) };
      } finally {
        if (relaxed) db.exec('PRAGMA synchronous = FULL');
      }
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>, options?: TransactionOptions): Promise<T> {
      if (inside.getStore() === true) return fn(client);
      while (open !== undefined) await open;
      let done!: () => void;
      open = new Promise<void>((resolve) => (done = resolve));
      // In WAL mode NORMAL commits without an fsync (the next checkpoint syncs): still atomic and
      // consistent, and safe from a crash of the process, not from a power cut.
      const relaxed = options?.durable === false;
      if (relaxed) db.exec('PRAGMA synchronous = NORMAL');
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await inside.run(true, () => fn(client));
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      } finally {
        if (relaxed) db.exec('PRAGMA synchronous = FULL');
        open = undefined;
        done();
      }
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
  return client;
}
