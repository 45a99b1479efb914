/**
 * Damaged telemetry on disk (issue 11, finding 7): a query that meets a corrupt part answers
 * 503 STORE_CORRUPTED with recovery advice instead of 500 INTERNAL, the engine's detail (file,
 * checksum) goes to the log, and parts the engine set aside in `detached/` at start are logged.
 */
import type { ClickhouseDriver } from './clickhouse/driver.ts';
import { classifyEngineError, queryErrorOf } from './clickhouse/engine-errors.ts';

/** Receives what the operator must know about damaged data (the server logs it). */
export type DamageReporter = (message: string, detail: Record<string, unknown>) => void;

/** The driver with query failures on damaged data turned into STORE_CORRUPTED and reported. */
export function guardDamage(driver: ClickhouseDriver, report: DamageReporter | undefined): ClickhouseDriver {
  const mapped = (error: unknown): unknown => {
    if (classifyEngineError(error) === 'corrupt') {
      report?.(
        'stored telemetry is damaged: a query failed reading it; restore the data directory from a backup',
        {
          error: String((error as Error)?.message ?? error),
        },
      );
    }
    return queryErrorOf(error);
  };
  return {
    ...driver,
    kind: driver.kind,
    async query<T>(
      sql: string,
      params?: Parameters<ClickhouseDriver['query']>[1],
      options?: Parameters<ClickhouseDriver['query']>[2],
    ): Promise<T[]> {
      try {
        return await driver.query<T>(sql, params, options);
      } catch (error) {
        throw mapped(error);
      }
    },
    async exec(sql: string, params?: Parameters<ClickhouseDriver['exec']>[1]): Promise<void> {
      try {
        await driver.exec(sql, params);
      } catch (error) {
        throw mapped(error);
      }
    },
  };
}

/** Most detached parts named in the log at start. */
const MAX_REPORTED_PARTS = 20;

/**
 * Logs every part of Argus's tables the engine has set aside in `detached/` (broken at start,
 * or left by a failed operation): its rows are not readable until it is restored or dropped.
 */
export async function reportDetachedParts(driver: ClickhouseDriver, report: DamageReporter): Promise<number> {
  let rows: { table: string; name: string; reason: string }[];
  try {
    rows = await driver.query(
      `SELECT table, name, ifNull(reason, '') AS reason FROM system.detached_parts
       WHERE database = currentDatabase() ORDER BY table, name LIMIT {limit:UInt64}`,
      { limit: MAX_REPORTED_PARTS },
    );
  } catch {
    return 0; // an engine without the table (or without the right) has nothing to say here
  }
  for (const row of rows) {
    report(
      `table '${row.table}' has a part set aside in detached/ ('${row.name}'${row.reason ? `, ${row.reason}` : ''}); its rows are not readable: restore the data directory from a backup, or delete that part's folder to drop them for good`,
      { table: row.table, part: row.name, reason: row.reason },
    );
  }
  return rows.length;
}
