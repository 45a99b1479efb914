/**
 * Start-up guard of the two stores (issue 11, finding 7): a metadata store that is empty or
 * unreadable while the telemetry store holds data is a lost or damaged `metadata.db`, not a
 * first start. Migrating it would print a new admin password and silently drop every user, key,
 * project and audit entry, so the server refuses to start with one sentence on how to recover.
 */
import { ArgusError } from '../errors.ts';
import type { ClickhouseDriver } from './clickhouse/driver.ts';
import type { MetadataStore } from './metadata/metadata-store.ts';

/** True when the telemetry tables hold at least one row (reads one granule of each at most). */
export async function hasTelemetry(driver: ClickhouseDriver): Promise<boolean> {
  const rows = await driver.query<{ n: string | number }>(
    `SELECT (SELECT count() FROM (SELECT 1 FROM spans LIMIT 1))
          + (SELECT count() FROM (SELECT 1 FROM logs LIMIT 1))
          + (SELECT count() FROM (SELECT 1 FROM metric_points LIMIT 1)) AS n`,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

/** How far the metadata store got: never migrated, migrated, or unreadable (with the reason). */
export async function metadataState(
  metadata: MetadataStore,
): Promise<{ state: 'empty' | 'migrated' } | { state: 'unreadable'; reason: string }> {
  try {
    const rows = await metadata.sql.all<{ n: number | string }>(
      'SELECT count(*) AS n FROM schema_migrations',
    );
    return { state: Number(rows[0]?.n ?? 0) > 0 ? 'migrated' : 'empty' };
  } catch (error) {
    const reason = String((error as Error).message ?? error);
    // SQLite: "no such table"; PostgreSQL: "relation … does not exist".
    if (/no such table|does not exist/i.test(reason)) return { state: 'empty' };
    return { state: 'unreadable', reason };
  }
}

/**
 * Refuses a start that would treat lost metadata as a first start.
 * @throws ArgusError METADATA_UNUSABLE (the CLI exits 2 with its message).
 */
export async function assertMetadataUsable(
  metadata: MetadataStore,
  driver: ClickhouseDriver,
  where: string,
): Promise<void> {
  const found = await metadataState(metadata);
  if (found.state === 'migrated') return;
  if (found.state === 'unreadable') throw unreadableMetadata(where, found.reason);
  if (await hasTelemetry(driver)) {
    throw new ArgusError(
      'METADATA_UNUSABLE',
      `Cannot start: the metadata store (${where}) is empty but the telemetry store already holds data, so this is not a first start and its users, API keys, projects and audit log would be lost; restore the metadata from a backup, or move the telemetry away to start afresh`,
    );
  }
}

/** The error for a metadata store that cannot be opened or read. */
export function unreadableMetadata(where: string, reason: string): ArgusError {
  return new ArgusError(
    'METADATA_UNUSABLE',
    `Cannot start: the metadata store (${where}) cannot be read (${reason}); restore it from a backup, or move it away to start with a new one`,
  );
}
