/**
 * The store: ClickHouse telemetry (chDB embedded or a server through `@clickhouse/client`),
 * the group-commit writer with retry deduplication, and the metadata repository.
 */
import path from 'node:path';
import type { Span } from '@argus/shared';
import type { Config } from '../config.ts';
import { isArgusError } from '../errors.ts';
import type { LogRow, MetricPointRow } from '../normalize/types.ts';
import { openChdbDriver } from './clickhouse/chdb-driver.ts';
import { openClientDriver } from './clickhouse/client-driver.ts';
import type { DdlOptions } from './clickhouse/ddl.ts';
import type { ClickhouseDriver } from './clickhouse/driver.ts';
import { type MigrationReport, migrate } from './clickhouse/migrations.ts';
import { type DamageReporter, guardDamage, reportDetachedParts } from './damage.ts';
import { type InsertResult, insertDeduped } from './deduped-insert.ts';
import { type MetadataStore, openMetadataStore } from './metadata/metadata-store.ts';
import { assertMetadataUsable, unreadableMetadata } from './metadata-guard.ts';
import { RowWindow, SpanWindow } from './retry-window.ts';
import { SPAN_INSERT_COLUMNS, spanToRow } from './rows.ts';
import {
  LOG_INSERT_COLUMNS,
  logToRow,
  METRIC_INSERT_COLUMNS,
  metricPointToRow,
  SCORE_INSERT_COLUMNS,
  type ScoreRow,
  scoreToRow,
} from './signal-rows.ts';
import { findStoredSpans } from './stored-spans.ts';
import { GroupCommitWriter, type WriterOptions } from './writer.ts';

export type { InsertResult } from './deduped-insert.ts';

/** The opened store. */
export interface Store {
  readonly driver: ClickhouseDriver;
  readonly metadata: MetadataStore;
  readonly writer: GroupCommitWriter;
  readonly migration: MigrationReport;
  /** Human description of where data lives, for start-up output and /health. */
  readonly description: string;
  insertSpans(spans: Span[]): Promise<InsertResult>;
  insertLogs(logs: LogRow[]): Promise<InsertResult>;
  insertMetricPoints(points: MetricPointRow[]): Promise<InsertResult>;
  /** Inserts one score (feedback, evaluation); resolves once it is stored. */
  insertScore(score: ScoreRow): Promise<void>;
  /** Flushes pending writes and closes both engines. */
  close(): Promise<void>;
}

/** Options beyond the config, for tests. */
export interface OpenStoreOptions {
  /** Use this driver instead of the one the config selects. */
  driver?: ClickhouseDriver;
  /** Observes each successful insert (the server's insert-duration histogram). */
  onInsert?: WriterOptions['onInsert'];
  /** Sees each failed insert's engine error (the server logs it; clients never see it). */
  onInsertError?: WriterOptions['onInsertError'];
  /** Hears of damaged data: parts set aside at start, queries failing on corrupt parts. */
  onDamage?: DamageReporter;
}

/** The embedded chDB engine in the configured data directory, with its memory cap and query timeout. */
export function openEmbeddedDriver(config: Config): ClickhouseDriver {
  return openChdbDriver({
    path: path.join(config.dataDirAbsolute, 'clickhouse'),
    maxMemoryBytes: config.chdbMaxMemoryBytes,
    queryTimeoutMs: config.queryTimeoutMs,
  });
}

/** Opens the store the configuration describes, migrating both schemas. */
export async function openStore(config: Config, options: OpenStoreOptions = {}): Promise<Store> {
  const driver = guardDamage(options.driver ?? openConfiguredDriver(config), options.onDamage);
  const { metadata, where } = await openMetadata(config, driver);
  try {
    const migration = await migrateSchemas(config, { driver, metadata, where, onDamage: options.onDamage });
    const writer = new GroupCommitWriter(driver, TABLE_COLUMNS, {
      maxQueueBytes: config.writerMaxQueueBytes,
      maxBatchRows: config.writerMaxBatchRows,
      lingerMs: config.writerFlushIntervalMs,
      onInsert: options.onInsert,
      onInsertError: options.onInsertError,
    });
    const recentSpans = new SpanWindow(config.dedupeWindowSpans);
    const recentRows = new RowWindow(config.dedupeWindowSpans);
    // Damaged recent data must not stop the start (the damage is reported; queries answer 503).
    await warmDedupe(driver, recentSpans, config.dedupeWindowSpans).catch((error: unknown) => {
      if (!isArgusError(error) || error.code !== 'STORE_CORRUPTED') throw error;
    });
    const description = describeStore(config);
    return storeOf({ driver, metadata, writer, migration, description, recentSpans, recentRows });
  } catch (error) {
    await driver.close().catch(() => {});
    await metadata.close().catch(() => {});
    throw error;
  }
}

/** The ClickHouse engine the configuration names: a server through its client, else embedded chDB. */
function openConfiguredDriver(config: Config): ClickhouseDriver {
  if (!config.clickhouseUrl) return openEmbeddedDriver(config);
  return openClientDriver({
    url: config.clickhouseUrl,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
    database: config.clickhouseDatabase,
    queryTimeoutMs: config.queryTimeoutMs,
    asyncInsert: true,
  });
}

/** Opens the metadata store (PostgreSQL or SQLite in the data directory); closes the engine when it cannot. */
async function openMetadata(
  config: Config,
  driver: ClickhouseDriver,
): Promise<{ metadata: MetadataStore; where: string }> {
  const sqliteFile = path.join(config.dataDirAbsolute, 'metadata.db');
  const where = config.databaseUrl ? 'PostgreSQL' : `SQLite in ${sqliteFile}`;
  try {
    return { metadata: openMetadataStore({ databaseUrl: config.databaseUrl, sqliteFile }), where };
  } catch (error) {
    await driver.close().catch(() => {});
    throw unreadableMetadata(where, String((error as Error).message ?? error));
  }
}

/**
 * Migrates the telemetry schema, reports parts set aside at start, checks that the metadata store
 * belongs with this telemetry, then migrates the metadata schema.
 */
async function migrateSchemas(
  config: Config,
  parts: { driver: ClickhouseDriver; metadata: MetadataStore; where: string; onDamage?: DamageReporter },
): Promise<MigrationReport> {
  const ddl: DdlOptions = {
    profile: config.clickhouseProfile,
    cluster: config.clickhouseCluster,
    database: config.clickhouseDatabase,
    retentionDays: config.retentionDays,
    rollupRetentionDays: Math.max(400, config.retentionDays),
  };
  const migration = await migrate(parts.driver, ddl);
  if (parts.onDamage) await reportDetachedParts(parts.driver, parts.onDamage);
  await assertMetadataUsable(parts.metadata, parts.driver, parts.where);
  await parts.metadata.migrate();
  return migration;
}

/** Where data lives, for start-up output and /health (a server URL's password hidden). */
function describeStore(config: Config): string {
  return config.clickhouseUrl
    ? `ClickHouse server ${redactUrl(config.clickhouseUrl)} (database ${config.clickhouseDatabase}, profile ${config.clickhouseProfile})`
    : `embedded chDB in ${path.join(config.dataDirAbsolute, 'clickhouse')}`;
}

/** The store over its opened parts: inserts deduplicated against the recent windows, one close. */
function storeOf(parts: {
  driver: ClickhouseDriver;
  metadata: MetadataStore;
  writer: GroupCommitWriter;
  migration: MigrationReport;
  description: string;
  recentSpans: SpanWindow;
  recentRows: RowWindow;
}): Store {
  const { driver, metadata, writer, migration, description, recentSpans, recentRows } = parts;
  return {
    driver,
    metadata,
    writer,
    migration,
    description,
    insertSpans: (spans) =>
      insertDeduped(writer, {
        table: 'spans',
        what: 'span',
        items: spans,
        recent: recentSpans,
        toRow: spanToRow,
        findStored: (written) => findStoredSpans(driver, written),
      }),
    insertLogs: (logs) =>
      insertDeduped(writer, {
        table: 'logs',
        what: 'log record',
        items: logs.map(logToRow),
        recent: recentRows,
        toRow: (row) => row,
      }),
    insertMetricPoints: (points) =>
      insertDeduped(writer, {
        table: 'metric_points',
        what: 'metric point',
        items: points.map(metricPointToRow),
        recent: recentRows,
        toRow: (row) => row,
      }),
    // Scores have unique ids and are never retried by exporters, so they skip deduplication.
    insertScore: async (score) => {
      await writer.write('scores', [scoreToRow(score)]);
    },
    async close() {
      await writer.close();
      await driver.close();
      await metadata.close();
    },
  };
}

/** Column order of each table's TSV lines. */
const TABLE_COLUMNS = {
  spans: SPAN_INSERT_COLUMNS,
  logs: LOG_INSERT_COLUMNS,
  metric_points: METRIC_INSERT_COLUMNS,
  scores: SCORE_INSERT_COLUMNS,
};

/** Loads the keys of recently inserted spans so retries across a restart are recognised. */
async function warmDedupe(driver: ClickhouseDriver, recent: SpanWindow, capacity: number): Promise<void> {
  if (capacity === 0) return;
  const rows = await driver.query<{ project_id: string; trace_id: string; span_id: string }>(
    // Bounded by start time too (the partition and sort key), so start-up reads only the recent
    // hour buckets, never the whole table: exporters retry spans that ended moments ago.
    `SELECT project_id, trace_id, span_id FROM spans
     WHERE start_time > now64(9) - INTERVAL 2 HOUR AND inserted_at > now64(3) - INTERVAL 15 MINUTE
     ORDER BY start_time DESC LIMIT {limit:UInt64}`,
    { limit: Math.floor(capacity / 2) },
  );
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    recent.add({ projectId: row.project_id, traceId: row.trace_id, spanId: row.span_id });
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
