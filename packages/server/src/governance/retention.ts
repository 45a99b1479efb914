/**
 * One retention sweep of one project: deletes telemetry older than the project's
 * `telemetryDays` and blanks the content of spans and log records older than its `contentDays`.
 * Each step counts first and mutates only when rows match, so a sweep with nothing to do reads a
 * few index granules (the (project_id, hour) sort key) and writes nothing.
 *
 * Rollups (`spans_1m`, `spans_1h`) are never touched: they hold anonymous aggregates per minute
 * or hour, model and service (counts, tokens, cost, latency digests), no ids, users or text, and
 * follow the instance's rollup TTL. That is how metrics outlive content.
 */
import type { SweepCounts, SweepReport } from '@argus/shared';
import type { ClickhouseDriver, QueryParams } from '../store/clickhouse/driver.ts';
import type { MetadataStore } from '../store/metadata/metadata-store.ts';
import { readRetention } from './policy.ts';
import {
  dateTimeParam,
  type GovernedTable,
  LOG_BLANK,
  LOG_HAS_CONTENT,
  type MutationTarget,
  olderThan,
  renderDelete,
  renderUpdate,
  SPAN_BLANK,
  SPAN_HAS_CONTENT,
} from './sql.ts';

const DAY_MS = 86_400_000;

/**
 * The cutoff of a policy of `days`: the start of the UTC day `days` days ago. Whole days match the
 * daily partitions, so the rows of a day go in one sweep (and one purge of that partition)
 * rather than an hour's worth every hour; data is kept at least `days` days, at most one more.
 */
export function cutoffOf(nowMs: number, days: number): Date {
  return new Date(Math.floor((nowMs - days * DAY_MS) / DAY_MS) * DAY_MS);
}

/** What a sweep needs. */
export interface SweepDeps {
  driver: ClickhouseDriver;
  metadata: Pick<MetadataStore, 'getSetting'>;
  target: MutationTarget;
  /** `--retention-days`, the outer bound. */
  maxDays: number;
}

export type { SweepCounts, SweepReport };

/** Tables whose old rows are deleted, with the report field each count goes to. */
const DELETED: readonly [GovernedTable, keyof SweepCounts['deleted']][] = [
  ['spans', 'spans'],
  ['trace_index', 'traceIndex'],
  ['logs', 'logs'],
  ['scores', 'scores'],
  ['metric_points', 'metricPoints'],
];

/** Tables whose old content is blanked, how a row is blanked, and which rows still hold content. */
const BLANKED: readonly [keyof SweepCounts['blanked'] & GovernedTable, string, string][] = [
  ['spans', SPAN_BLANK, SPAN_HAS_CONTENT],
  ['logs', LOG_BLANK, LOG_HAS_CONTENT],
];

/** True when the report says something was removed or blanked. */
export function sweptAnything(counts: SweepCounts): boolean {
  return [...Object.values(counts.deleted), ...Object.values(counts.blanked)].some((n) => n > 0);
}

/** Counts the rows matching `where`; when there are any, runs the mutation. Returns the count. */
async function countThenMutate(
  driver: ClickhouseDriver,
  table: GovernedTable,
  where: string,
  mutation: string,
  params: QueryParams,
): Promise<number> {
  const rows = await driver.query<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE ${where}`, params);
  const count = Number(rows[0]?.n ?? 0);
  if (count > 0) await driver.exec(mutation, params);
  return count;
}

/** Sweeps one project now; a project on the default policy is left to the tables' TTL. */
export async function sweepProject(
  deps: SweepDeps,
  projectId: string,
  nowMs = Date.now(),
): Promise<SweepReport> {
  const started = performance.now();
  const policy = await readRetention(deps.metadata, projectId, deps.maxDays);
  const telemetryCutoff = cutoffOf(nowMs, policy.telemetryDays);
  const contentCutoff = cutoffOf(nowMs, policy.contentDays);
  const counts: SweepCounts = {
    deleted: { spans: 0, logs: 0, scores: 0, metricPoints: 0, traceIndex: 0 },
    blanked: { spans: 0, logs: 0 },
  };
  const { driver, target } = deps;
  if (policy.telemetryDays < deps.maxDays) {
    const params = { project: projectId, cutoff: dateTimeParam(telemetryCutoff) };
    for (const [table, field] of DELETED) {
      const where = olderThan(table);
      counts.deleted[field] = await countThenMutate(
        driver,
        table,
        where,
        renderDelete(table, where, target),
        params,
      );
    }
  }
  if (policy.contentDays < deps.maxDays) {
    const params = { project: projectId, cutoff: dateTimeParam(contentCutoff) };
    for (const [table, assignments, hasContent] of BLANKED) {
      const where = `${olderThan(table)} AND ${hasContent}`;
      counts.blanked[table] = await countThenMutate(
        driver,
        table,
        where,
        renderUpdate(table, assignments, where, target),
        params,
      );
    }
  }
  return {
    projectId,
    telemetryDays: policy.telemetryDays,
    contentDays: policy.contentDays,
    telemetryCutoff: telemetryCutoff.toISOString(),
    contentCutoff: contentCutoff.toISOString(),
    ...counts,
    durationMs: Math.round(performance.now() - started),
  };
}
