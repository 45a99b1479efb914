/**
 * Migration 12: `spans` moved to the 1 MiB granules of tables.ts. `index_granularity_bytes`
 * cannot be changed on a table, so a new, empty `spans` with the new settings takes the old one's
 * name (EXCHANGE TABLES: materialized views follow the name) and the old parts are then moved
 * into it partition by partition (MOVE PARTITION: file renames, seconds at any size). A moved part
 * keeps its old granules until a merge rewrites it; every part written after has the small ones.
 *
 * Rows written by another server while this runs are never lost: before the swap they land in the
 * old table and are moved with it, after it in the new one. The steps are planned again after
 * each round, from what is stored, so a run interrupted anywhere resumes where it stopped.
 *
 * Single-node stores only (chDB, one ClickHouse server) on a database that supports EXCHANGE
 * (not the legacy `Ordinary` engine); clustered stores keep their granules (docs/architecture.md).
 */
import { ArgusError } from '../../errors.ts';
import { type DdlOptions, renderEngine } from './ddl.ts';
import type { ClickhouseDriver } from './driver.ts';
import { SPANS } from './tables.ts';

/** The table the old `spans` goes by while its parts are moved. */
export const OLD_SPANS = 'spans_before_v12';

const WANTED = /index_granularity_bytes\s*=\s*('[^']*'|\d+)/;

/** The next statements of migration 12, or none once it is complete. */
export async function nextSpansGranuleSteps(driver: ClickhouseDriver, o: DdlOptions): Promise<string[]> {
  if (o.profile !== 'single') return [];
  const tables = await driver.query<{ name: string; engine_full: string; db_engine: string }>(
    `SELECT t.name AS name, t.engine_full AS engine_full, d.engine AS db_engine
FROM system.tables AS t INNER JOIN system.databases AS d ON d.name = t.database
WHERE t.database = currentDatabase() AND t.name IN ('spans', {old:String})`,
    { old: OLD_SPANS },
  );
  const spans = tables.find((t) => t.name === 'spans');
  if (tables.some((t) => t.name === OLD_SPANS)) {
    const partitions = await partitionsOf(driver, OLD_SPANS);
    return partitions.length > 0
      ? partitions.map((p) => `ALTER TABLE ${OLD_SPANS} MOVE PARTITION ID '${p}' TO TABLE spans`)
      : [`DROP TABLE ${OLD_SPANS} SYNC`];
  }
  if (!spans || spans.db_engine === 'Ordinary') return [];
  const have = WANTED.exec(spans.engine_full)?.[1];
  const want = WANTED.exec(SPANS.settings ?? '')?.[1];
  if (have === undefined || want === undefined || sameBytes(have, want)) return [];
  return [
    `CREATE TABLE ${OLD_SPANS} AS spans\n${renderEngine(SPANS, o)}`,
    `EXCHANGE TABLES spans AND ${OLD_SPANS}`,
  ];
}

/** Whether two written sizes (`'1Mi'`, `1048576`) are the same. */
function sameBytes(a: string, b: string): boolean {
  return bytesOf(a) === bytesOf(b);
}

function bytesOf(written: string): number {
  const match = /^'?(\d+)\s*(Ki|Mi|Gi)?'?$/.exec(written.trim());
  if (!match) return Number.NaN;
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

/** Partitions with rows (a moved partition leaves an empty covering part behind). */
async function partitionsOf(driver: ClickhouseDriver, table: string): Promise<string[]> {
  const rows = await driver.query<{ partition_id: string }>(
    `SELECT DISTINCT partition_id FROM system.parts
WHERE database = currentDatabase() AND table = {table:String} AND active AND rows > 0
ORDER BY partition_id`,
    { table },
  );
  // Partition ids of a toDate key are digits: anything else is refused, not spliced into a statement.
  const odd = rows.find((r) => !/^[0-9A-Za-z_-]+$/.test(r.partition_id));
  if (odd)
    throw new ArgusError(
      'MIGRATION_FAILED',
      `Cannot move the partitions of ${table}: unexpected partition id '${odd.partition_id}'`,
    );
  return rows.map((r) => r.partition_id);
}
