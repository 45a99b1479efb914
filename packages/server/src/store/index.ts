/**
 * The store: ClickHouse telemetry (chDB embedded or a server through `@clickhouse/client`),
 * the group-commit writer with retry deduplication, and the metadata repository.
 */
import { appendFileSync } from 'node:fs';
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
import { findStoredSpans, type StoredSpanKey, storedSpanKey } from './stored-spans.ts';
import { type WalRecovery, WriteAheadLog } from './wal.ts';
import { GroupCommitWriter, type WriterOptions, type WriterTable } from './writer.ts';

export type { InsertResult } from './deduped-insert.ts';

/** The opened store. */
export interface Store {
  /** Reads every acknowledged row: queued rows are inserted before a query runs. */
  readonly driver: ClickhouseDriver;
  /**
   * Reads what is inserted, waiting only for inserts under way: for readers that page by
   * `inserted_at` behind a settle delay (the online output-health feed), whose reads would
   * otherwise hurry the writer's queue into small inserts (GroupCommitWriter.insertsSettled).
   */
  readonly feedDriver: ClickhouseDriver;
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
  /** Hears what the start found in the write-ahead log, and of logged rows the store could not read. */
  onWal?: (message: string, detail: Record<string, unknown>) => void;
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
  let wal: WriteAheadLog | undefined;
  try {
    const migration = await migrateSchemas(config, { driver, metadata, where, onDamage: options.onDamage });
    const walDir = path.join(config.dataDirAbsolute, 'wal');
    const opened = config.wal
      ? WriteAheadLog.open(walDir, { fsync: config.walFsync, segmentBytes: WAL_SEGMENT_BYTES })
      : undefined;
    wal = opened?.wal;
    const writer = new GroupCommitWriter(driver, TABLE_COLUMNS, {
      maxQueueBytes: config.writerMaxQueueBytes,
      maxBatchRows: config.writerMaxBatchRows,
      maxBatchBytes: config.writerMaxBatchBytes,
      lingerMs: config.writerFlushIntervalMs ?? (wal ? WAL_LINGER_MS : 50),
      wal,
      filterStored: (table, payload) => unstoredRows(driver, table, payload),
      setAside: (table, lines) => setAside(walDir, table, lines, options.onWal),
      onInsert: options.onInsert,
      onInsertError: options.onInsertError,
    });
    if (opened) await replayLog(writer, opened.recovery, walDir, options.onWal);
    const recentSpans = new SpanWindow(config.dedupeWindowSpans);
    const recentRows = new RowWindow(config.dedupeWindowSpans);
    // Damaged recent data must not stop the start (the damage is reported; queries answer 503).
    await warmDedupe(driver, recentSpans, config.dedupeWindowSpans).catch((error: unknown) => {
      if (!isArgusError(error) || error.code !== 'STORE_CORRUPTED') throw error;
    });
    const description = describeStore(config);
    return storeOf({ driver, metadata, writer, wal, migration, description, recentSpans, recentRows });
  } catch (error) {
    await wal?.close().catch(() => {});
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
  wal: WriteAheadLog | undefined;
  migration: MigrationReport;
  description: string;
  recentSpans: SpanWindow;
  recentRows: RowWindow;
}): Store {
  const { metadata, writer, wal, migration, description, recentSpans, recentRows } = parts;
  // The engine's driver whose queries first wait for `barrier` (the writer's, see Store).
  const readingAfter = (barrier: () => Promise<void>): ClickhouseDriver => ({
    ...parts.driver,
    query: async (sql, params, options) => {
      await barrier();
      return parts.driver.query(sql, params, options);
    },
  });
  // Readers see every acknowledged row: queued rows are inserted before a query runs (issue 20).
  const driver = readingAfter(() => writer.visible());
  const feedDriver = readingAfter(() => writer.insertsSettled());
  return {
    driver,
    feedDriver,
    metadata,
    writer,
    migration,
    description,
    insertSpans: (spans) =>
      insertDeduped<Span, StoredSpanKey>(writer, {
        table: 'spans',
        what: 'span',
        items: spans,
        keyOf: storedSpanKey,
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
      await wal?.close();
      await driver.close();
      await metadata.close();
    },
  };
}

/**
 * How long logged rows wait to share an insert. Readers never wait this long (a query inserts
 * what is queued first); the longer it is, the fewer, larger inserts (the engine charges ~50 ms
 * of CPU per insert into `spans` and its views).
 */
const WAL_LINGER_MS = 1000;

/** A write-ahead log segment is closed and a new one begun past this size. */
const WAL_SEGMENT_BYTES = 64 * 1024 * 1024;

/** Inserts what the log held at start that no commit covered (a crash or a failed insert before it). */
async function replayLog(
  writer: GroupCommitWriter,
  recovery: WalRecovery,
  walDir: string,
  onWal: OpenStoreOptions['onWal'],
): Promise<void> {
  if (recovery.damaged.length > 0) {
    onWal?.('write-ahead log damaged: records past the damage are lost', { damaged: recovery.damaged });
  }
  if (recovery.pending.length === 0) return;
  const rows = recovery.pending.reduce((sum, entry) => sum + entry.rows, 0);
  onWal?.('inserting rows acknowledged before the last stop from the write-ahead log', {
    rows,
    segments: recovery.segments,
    tornBytes: recovery.tornBytes,
    dir: walDir,
  });
  await writer.replay(recovery.pending);
}

/** Of logged span rows that may be stored already, those that are not (by project, trace and span id). */
async function unstoredRows(driver: ClickhouseDriver, table: WriterTable, payload: Buffer): Promise<Buffer> {
  if (table !== 'spans' || payload.length === 0) return payload;
  const lines = payload.toString().split('\n');
  const ids = lines.map((line) => line.split('\t', 3));
  const stored = new Set<string>();
  const byProject = new Map<string, string[][]>();
  for (const key of ids) {
    const list = byProject.get(key[0]!) ?? [];
    list.push(key);
    byProject.set(key[0]!, list);
  }
  for (const [project, keys] of byProject) {
    const rows = await driver.query<{ trace_id: string; span_id: string }>(
      `SELECT trace_id, span_id FROM spans WHERE project_id = {project:String}
         AND trace_id IN {traces:Array(String)} AND span_id IN {spans:Array(String)}`,
      { project, traces: [...new Set(keys.map((k) => k[1]!))], spans: [...new Set(keys.map((k) => k[2]!))] },
    );
    for (const row of rows) stored.add(`${project}\t${row.trace_id}\t${row.span_id}`);
  }
  const unstored = lines.filter((_, i) => !stored.has(ids[i]!.join('\t')));
  return unstored.length === lines.length ? payload : Buffer.from(unstored.join('\n'));
}

/** Keeps logged rows the store could not read in `<wal>/rejected-<table>.tsv`, and says so. */
function setAside(
  walDir: string,
  table: WriterTable,
  lines: readonly string[],
  onWal: OpenStoreOptions['onWal'],
): void {
  if (lines.length === 0) return;
  const file = path.join(walDir, `rejected-${table}.tsv`);
  try {
    appendFileSync(file, `${lines.join('\n')}\n`);
    onWal?.('the store could not read acknowledged rows; they are kept aside', {
      table,
      rows: lines.length,
      file,
    });
  } catch (error) {
    onWal?.('the store could not read acknowledged rows, and keeping them aside failed', {
      table,
      rows: lines.length,
      error: String((error as Error).message ?? error),
    });
  }
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
