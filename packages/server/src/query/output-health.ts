/**
 * The output-health series (`outputErrors`, `outputErrorRate` of `/api/v1/metrics/series`):
 * LLM spans the online worker's checks flagged, and flagged over checked, per bucket and group,
 * read from `output_health`. Its dimensions (model, provider, service, environment) are
 * filtered on its own columns; the other span filters through the spans they name.
 */

import type { GroupBy } from '@argus/shared';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import type { SpanFilters } from './filters.ts';
import { RAW_SPAN_FILTERS, type SpanFilterKey, spanWhere } from './sql.ts';

/** Checked and flagged spans of a bucket. */
export interface HealthCount {
  checked: number;
  flagged: number;
}

const GROUP_COLUMNS: Record<GroupBy, string> = {
  model: 'model',
  provider: 'provider',
  service: 'service_name',
  environment: 'environment',
  kind: "'llm'",
};
const OWN: Partial<Record<SpanFilterKey, string>> = {
  models: 'model IN {models:Array(String)}',
  providers: 'provider IN {providers:Array(String)}',
  services: 'service_name IN {services:Array(String)}',
  environments: 'environment IN {environments:Array(String)}',
};

/**
 * Counts per group value and bucket start (epoch ms) over [fromMs, toMs), and the totals.
 * Only LLM spans are checked, so a `kind` filter without `llm` counts nothing.
 */
export async function outputHealthCounts(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
  options: { fromMs: number; toMs: number; stepSeconds: number; groupBy: GroupBy | undefined },
): Promise<{ byGroup: Map<string, Map<number, HealthCount>>; totals: HealthCount }> {
  const byGroup = new Map<string, Map<number, HealthCount>>();
  const totals = { checked: 0, flagged: 0 };
  if (filters.kinds.length > 0 && !filters.kinds.includes('llm')) return { byGroup, totals };
  const spans = spanWhere(projectId, filters, { keys: RAW_SPAN_FILTERS });
  const own = Object.entries(OWN)
    .filter(([key]) => (filters[key as keyof SpanFilters] as string[]).length > 0)
    .map(([, condition]) => condition);
  const through =
    spans.sql.split('\n  AND ').length > 2
      ? [`(trace_id, span_id) IN (SELECT trace_id, span_id FROM spans WHERE ${spans.sql})`]
      : [];
  const group = options.groupBy ? GROUP_COLUMNS[options.groupBy] : "''";
  const rows = await driver.query<{
    bucket_s: string | number;
    group_value: string;
    checked: string | number;
    flagged: string | number;
  }>(
    `SELECT toUnixTimestamp(toStartOfInterval(time, INTERVAL {stepSeconds:UInt32} SECOND)) AS bucket_s, ${group} AS group_value,
  count() AS checked, countIf(notEmpty(flags)) AS flagged
FROM output_health
WHERE project_id = {projectId:String}
  AND time >= fromUnixTimestamp64Milli({healthFromMs:Int64}, 'UTC') AND time < fromUnixTimestamp64Milli({healthToMs:Int64}, 'UTC')
  ${[...own, ...through].map((c) => `AND ${c}`).join('\n  ')}
GROUP BY bucket_s, group_value
LIMIT 200000`,
    {
      ...spans.params,
      models: filters.models,
      providers: filters.providers,
      services: filters.services,
      environments: filters.environments,
      healthFromMs: options.fromMs,
      healthToMs: options.toMs,
      stepSeconds: options.stepSeconds,
    },
  );
  for (const row of rows) {
    const buckets = byGroup.get(row.group_value) ?? new Map<number, HealthCount>();
    byGroup.set(row.group_value, buckets);
    const count = { checked: Number(row.checked), flagged: Number(row.flagged) };
    buckets.set(Number(row.bucket_s) * 1000, count);
    totals.checked += count.checked;
    totals.flagged += count.flagged;
  }
  return { byGroup, totals };
}
