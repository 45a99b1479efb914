import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SqlClient, SqlValue } from './sql-client.ts';

/** `$1` → `?1`: SQLite numbered parameters bind positionally like PostgreSQL's. */
function toSqlite(sql: string): string {
  return sql.replace(/\$(\d+)/g, '?$1');
}

/** Opens (creating if needed) a SQLite metadata database file. */
export function openSqliteClient(file: string): SqlClient {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  const statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(toSqlite(sql));
      statements.set(sql, statement);
    }
    return statement;
  };
  let depth = 0;
  const client: SqlClient = {
    dialect: 'sqlite',
    async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
      return prepare(sql).all(...params) as T[];
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      const result = prepare(sql).run(...params);
      return { changes: Number(result.changes) };
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      // node:sqlite is synchronous, so nothing interleaves between BEGIN and COMMIT unless fn awaits
      // other I/O; nested calls join the outer transaction.
      if (depth > 0) return fn(client);
      db.exec('BEGIN IMMEDIATE');
      depth++;
      try {
        const result = await fn(client);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      } finally {
        depth--;
      }
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
  return client;
}
