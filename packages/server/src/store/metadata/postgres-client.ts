import pg from 'pg';
import type { SqlClient, SqlValue, TransactionOptions } from './sql-client.ts';

/** Opens a PostgreSQL pool for metadata. */
export function openPostgresClient(url: string): SqlClient {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const over = (runner: pg.Pool | pg.PoolClient): SqlClient => ({
    dialect: 'postgres',
    async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
      const result = await runner.query(sql, params as unknown[]);
      return result.rows as T[];
    },
    async run(sql: string, params: readonly SqlValue[] = [], _options?: TransactionOptions) {
      const result = await runner.query(sql, params as unknown[]);
      return { changes: result.rowCount ?? 0 };
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>, options?: TransactionOptions): Promise<T> {
      if (runner !== pool) return fn(over(runner));
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        if (options?.durable === false) await connection.query('SET LOCAL synchronous_commit = off');
        const result = await fn(over(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK');
        throw error;
      } finally {
        connection.release();
      }
    },
    async close() {
      if (runner === pool) await pool.end();
    },
  });
  return over(pool);
}
