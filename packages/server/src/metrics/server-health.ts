/**
 * The server's own health as metrics: ingest counters, the group-commit writer, store size
 * (from `system.parts`, cached) and the Node process. Values are copied from live state when
 * Prometheus scrapes, so the hot paths only bump the plain counters they already keep.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { IngestCounters } from '../ingest/ingest-signal.ts';
import type { Logger } from '../logger.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import type { WriterStats, WriterTable } from '../store/writer.ts';
import type { MetricOptions, MetricsRegistry } from './registry.ts';

/** `argus_writer_insert_duration_seconds` bucket bounds. */
export const INSERT_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];
/** How long store sizes from `system.parts` are reused. */
export const STORE_STATS_TTL_MS = 30_000;
const SIGNALS = ['traces', 'logs', 'metrics'] as const;

/** The write queue's and inserts' series, copied from the writer's stats at every scrape. */
const WRITER_SERIES: readonly (MetricOptions & { kind: 'gauge' | 'counter'; stat: keyof WriterStats })[] = [
  {
    kind: 'gauge',
    stat: 'queuedBytes',
    name: 'argus_writer_queue_bytes',
    help: 'Bytes waiting in the write queue.',
    unit: 'bytes',
  },
  {
    kind: 'gauge',
    stat: 'queuedRows',
    name: 'argus_writer_queue_rows',
    help: 'Rows waiting in the write queue.',
  },
  { kind: 'counter', stat: 'inserts', name: 'argus_writer_inserts_total', help: 'Inserts into the store.' },
  {
    kind: 'counter',
    stat: 'insertedRows',
    name: 'argus_writer_inserted_rows_total',
    help: 'Rows inserted into the store.',
  },
  {
    kind: 'counter',
    stat: 'failedInserts',
    name: 'argus_writer_failed_inserts_total',
    help: 'Inserts the store refused (each is retried request by request).',
  },
  {
    kind: 'counter',
    stat: 'rejectedWrites',
    name: 'argus_writer_rejected_writes_total',
    help: 'Writes refused because the write queue was full (answered 503 with Retry-After).',
  },
];

/** The one series of an unlabelled gauge or counter. */
function scalar(
  registry: MetricsRegistry,
  kind: 'gauge' | 'counter',
  options: MetricOptions,
): { set(value: number): void } {
  return kind === 'gauge' ? registry.gauge(options).child([]) : registry.counter(options).child([]);
}

/** Registers the process metrics and the build info. */
export function registerProcessMetrics(registry: MetricsRegistry, version: string): void {
  registry
    .info({ name: 'argus_build_info', help: 'The running Argus version.', labelNames: ['version'] })
    .child([version])
    .set(1);
  const rss = scalar(registry, 'gauge', {
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    unit: 'bytes',
  });
  const cpu = scalar(registry, 'counter', {
    name: 'process_cpu_seconds_total',
    help: 'User and system CPU time spent in seconds.',
    unit: 'seconds',
  });
  const started = scalar(registry, 'gauge', {
    name: 'process_start_time_seconds',
    help: 'Start time of the process since the Unix epoch in seconds.',
    unit: 'seconds',
  });
  const heap = scalar(registry, 'gauge', {
    name: 'nodejs_heap_used_bytes',
    help: 'V8 heap in use, in bytes.',
    unit: 'bytes',
  });
  const lag = scalar(registry, 'gauge', {
    name: 'nodejs_eventloop_lag_seconds',
    help: 'Event loop lag measured at scrape time (the delay of a setImmediate callback).',
    unit: 'seconds',
  });
  started.set(Math.round((Date.now() - performance.now()) / 1000));
  registry.onCollect(async () => {
    const usage = process.cpuUsage();
    cpu.set((usage.user + usage.system) / 1e6);
    rss.set(process.memoryUsage.rss());
    heap.set(process.memoryUsage().heapUsed);
    const before = performance.now();
    await nextTurn();
    lag.set((performance.now() - before) / 1000);
  });
}

/** Registers the insert-duration histogram (before the store opens); returns its observer. */
export function registerInsertDuration(
  registry: MetricsRegistry,
): (table: WriterTable, elapsedMs: number) => void {
  const insertDuration = registry.histogram({
    name: 'argus_writer_insert_duration_seconds',
    help: 'Duration of the group-commit inserts, by table.',
    labelNames: ['table'],
    boundedLabels: ['table'],
    unit: 'seconds',
    buckets: INSERT_BUCKETS,
  });
  return (table, elapsedMs) => insertDuration.child([table]).observe(elapsedMs / 1000);
}

/** Live state the health metrics read. */
export interface HealthSources {
  counters: IngestCounters;
  writerStats: WriterStats;
  driver: ClickhouseDriver;
  logger: Logger;
  /** Current time in ms (tests); default `Date.now`. */
  now?: () => number;
}

/** Registers the ingest, writer and store metrics, read from `sources` at every scrape. */
export function registerHealthMetrics(registry: MetricsRegistry, sources: HealthSources): void {
  const bounded = (labels: string[]) => ({ labelNames: labels, boundedLabels: labels });
  const requests = registry.counter({
    name: 'argus_ingest_requests_total',
    help: 'OTLP export requests received, by signal.',
    ...bounded(['signal']),
  });
  const items = registry.counter({
    name: 'argus_ingest_items_total',
    help: 'Spans, log records and metric points received, by signal and outcome (accepted, rejected, duplicate).',
    ...bounded(['signal', 'outcome']),
  });
  const failed = registry.counter({
    name: 'argus_ingest_failed_requests_total',
    help: 'Ingest requests answered with an error, by error code.',
    ...bounded(['code']),
  });
  const writer = WRITER_SERIES.map(({ kind, stat, ...options }) => ({
    stat,
    series: scalar(registry, kind, options),
  }));
  registry.onCollect(() => {
    const { counters, writerStats } = sources;
    for (const signal of SIGNALS) {
      requests.child([signal]).set(counters.requests[signal]);
      items.child([signal, 'accepted']).set(counters.accepted[signal]);
      items.child([signal, 'rejected']).set(counters.rejected[signal]);
      items.child([signal, 'duplicate']).set(counters.duplicates[signal]);
    }
    for (const [code, count] of Object.entries(counters.failedRequests)) failed.child([code]).set(count);
    for (const { stat, series } of writer) series.set(writerStats[stat]);
  });
  registerStoreMetrics(registry, sources);
}

interface PartsRow {
  table: string;
  bytes: string | number;
  rows: string | number;
}

/** `argus_store_bytes` / `argus_store_rows` per table, from this node's active parts. */
function registerStoreMetrics(registry: MetricsRegistry, sources: HealthSources): void {
  const bytes = registry.gauge({
    name: 'argus_store_bytes',
    help: 'Bytes on disk of each table (active parts on this node; refreshed every 30 s).',
    labelNames: ['table'],
    unit: 'bytes',
  });
  const rows = registry.gauge({
    name: 'argus_store_rows',
    help: 'Rows of each table (active parts on this node; refreshed every 30 s).',
    labelNames: ['table'],
  });
  const now = sources.now ?? Date.now;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;
  const refresh = async () => {
    try {
      const result = await sources.driver.query<PartsRow>(
        `SELECT replaceRegexpOne(table, '_local$', '') AS table, sum(bytes_on_disk) AS bytes, sum(rows) AS rows
FROM system.parts
WHERE active AND database = currentDatabase() AND NOT startsWith(table, '.')
GROUP BY table ORDER BY table LIMIT 100`,
      );
      for (const row of result) {
        bytes.child([row.table]).set(Number(row.bytes));
        rows.child([row.table]).set(Number(row.rows));
      }
    } catch (error) {
      // The previous values stay; a store that cannot answer shows in /health and the ingest errors.
      sources.logger.warn('metrics: cannot read store sizes from system.parts', { error: String(error) });
    } finally {
      fetchedAt = now();
      pending = undefined;
    }
  };
  registry.onCollect(() => {
    if (now() - fetchedAt < STORE_STATS_TTL_MS) return;
    pending ??= refresh();
    return pending;
  });
}
