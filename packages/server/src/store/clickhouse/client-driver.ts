import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import {
  type ClickhouseDriver,
  INSERT_SETTINGS,
  parseRowsYielding,
  type QueryParams,
  querySettings,
  type ReadOptions,
} from './driver.ts';

/** Options of {@link openClientDriver}. */
export interface ClientDriverOptions {
  url?: string;
  username?: string;
  password?: string;
  database?: string;
  queryTimeoutMs: number;
  /** A pluggable connection (chDB's `createChdbConnection` in tests) instead of HTTP. */
  connection?: unknown;
  /** Server-side async inserts; off for chDB connections, which have no server queue. */
  asyncInsert?: boolean;
}

/** A driver over `@clickhouse/client`: a ClickHouse server, cluster, or a pluggable connection. */
export function openClientDriver(options: ClientDriverOptions): ClickhouseDriver {
  const settings = querySettings(options.queryTimeoutMs);
  const client: ClickHouseClient = createClient({
    ...(options.connection ? { connection: options.connection as never } : { url: options.url }),
    username: options.username,
    password: options.password,
    database: options.database,
    request_timeout: options.queryTimeoutMs + 5_000,
    clickhouse_settings: settings as never,
  });
  const insertSettings = {
    ...INSERT_SETTINGS,
    ...(options.asyncInsert ? { async_insert: 1, wait_for_async_insert: 1 } : {}),
  };
  return {
    kind: 'client',
    async query<T>(sql: string, params: QueryParams = {}, options: ReadOptions = {}): Promise<T[]> {
      const result = await client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
      const every = options.yieldEveryRows;
      return every === undefined
        ? ((await result.json()) as T[])
        : parseRowsYielding<T>(await result.text(), every);
    },
    async exec(sql: string, params: QueryParams = {}): Promise<void> {
      await client.command({ query: sql, query_params: params });
    },
    async insertTsv(table: string, columns: readonly string[], body: Buffer): Promise<void> {
      if (body.length === 0) return;
      // `exec` sends the lines as they are; `insert` wants objects or arrays and would re-encode them.
      const result = await client.exec({
        query: `INSERT INTO ${table} (${columns.join(', ')}) FORMAT TabSeparated`,
        values: Readable.from([body], { objectMode: false }),
        clickhouse_settings: insertSettings as never,
      });
      await finished(result.stream.resume());
    },
    async close(): Promise<void> {
      await client.close();
    },
  };
}
