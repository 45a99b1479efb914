/**
 * Reads the values a comparison needs from one window: a deterministic pseudo-random sample of
 * the spans matching the filter (ordered by a hash of the span id, so the same window gives the
 * same sample), one column per feature, plus score values. Text features read the 240-character
 * previews, never the full prompt and completion columns.
 */
import type { DriftFeatureName } from '@argus/shared';
import type { SpanFilters } from '../../query/filters.ts';
import { FROM, spanConditions, TO } from '../../query/sql.ts';
import type { ClickhouseDriver, QueryParams } from '../../store/clickhouse/driver.ts';
import { columnOf, scoreNameOf } from './features.ts';

/** The sampled spans of a window and each feature's values (aligned with `refs`). */
export interface WindowSample {
  refs: { traceId: string; spanId: string }[];
  values: Map<DriftFeatureName, (string | number | null)[]>;
  /** Score values, which are not aligned with spans. */
  scores: Map<DriftFeatureName, number[]>;
}

const PERPLEXITY_CHECK_SQL =
  "SELECT count() AS n FROM system.columns WHERE database = currentDatabase() AND table = 'spans' AND name = 'perplexity'";

/** True when the spans table has a `perplexity` column (added by the confidence capability). */
export async function hasPerplexity(driver: ClickhouseDriver): Promise<boolean> {
  const [row] = await driver.query<{ n: string | number }>(PERPLEXITY_CHECK_SQL);
  return Number(row?.n ?? 0) > 0;
}

function where(projectId: string, filters: SpanFilters): { sql: string; params: QueryParams } {
  const conditions = spanConditions(filters);
  const sql = [
    'project_id = {projectId:String}',
    `start_time >= ${FROM}`,
    `start_time <= ${TO}`,
    ...(conditions.sql ? [conditions.sql] : []),
  ].join(' AND ');
  return { sql, params: { projectId, fromMs: filters.fromMs, toMs: filters.toMs, ...conditions.params } };
}

/** Samples `limit` spans of the window in `filters` and reads `features`. */
export async function sampleWindow(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
  features: readonly DriftFeatureName[],
  limit: number,
): Promise<WindowSample> {
  const { sql, params } = where(projectId, filters);
  const spanFeatures = features.filter((f) => columnOf(f) !== undefined);
  const columns = [...new Set(spanFeatures.map((f) => columnOf(f)!))];
  const select = columns.map((c, i) => `${c} AS c${i}`).join(', ');
  const rows = await driver.query<Record<string, string | number | null>>(
    `SELECT trace_id, span_id${select ? `, ${select}` : ''} FROM spans WHERE ${sql}
ORDER BY cityHash64(span_id) LIMIT {sampleLimit:UInt32}`,
    { ...params, sampleLimit: limit },
  );
  const values = new Map<DriftFeatureName, (string | number | null)[]>();
  for (const feature of spanFeatures) {
    const key = `c${columns.indexOf(columnOf(feature)!)}`;
    values.set(
      feature,
      rows.map((row) => row[key] ?? null),
    );
  }
  const scores = new Map<DriftFeatureName, number[]>();
  for (const feature of features) {
    const name = scoreNameOf(feature);
    if (name === undefined) continue;
    const found = await driver.query<{ value: number }>(
      `SELECT value FROM scores WHERE project_id = {projectId:String} AND name = {scoreName:String}
  AND string_value = '' AND time >= ${FROM} AND time <= ${TO}
  AND trace_id IN (SELECT trace_id FROM spans WHERE ${sql})
ORDER BY cityHash64(score_id) LIMIT {sampleLimit:UInt32}`,
      { ...params, scoreName: name, sampleLimit: limit },
    );
    scores.set(
      feature,
      found.map((r) => Number(r.value)),
    );
  }
  return {
    refs: rows.map((r) => ({ traceId: String(r.trace_id), spanId: String(r.span_id) })),
    values,
    scores,
  };
}
