/**
 * The OTLP metrics a project sent in a window (`GET /api/v1/metrics/names`): name, type, unit
 * and description of the newest point, point count and last time seen.
 */
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import type { MetricNameParams } from './metric-params.ts';

/** One metric of the list. */
export interface MetricNameSummary {
  name: string;
  type: string;
  unit: string;
  description: string;
  /** Points in the window. */
  points: number;
  /** Time of the newest point, ISO 8601. */
  lastSeen: string;
}

interface NameRow {
  name: string;
  type: string;
  unit: string;
  description: string;
  points: string | number;
  last_ms: string | number;
}

/** Lists metric names in the window, alphabetically, at most `params.limit`. */
export async function listMetricNames(
  driver: ClickhouseDriver,
  projectId: string,
  params: MetricNameParams,
): Promise<{ data: MetricNameSummary[] }> {
  const rows = await driver.query<NameRow>(
    `SELECT metric_name AS name, argMax(metric_type, time) AS type, argMax(unit, time) AS unit,
  argMax(description, time) AS description, count() AS points,
  toUnixTimestamp64Milli(max(time)) AS last_ms
FROM metric_points
WHERE project_id = {projectId:String}
  AND time >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC')
  AND time <= fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')${params.q === undefined ? '' : '\n  AND positionCaseInsensitiveUTF8(metric_name, {q:String}) > 0'}
GROUP BY metric_name
ORDER BY metric_name
LIMIT {limit:UInt32}`,
    {
      projectId,
      fromMs: params.fromMs,
      toMs: params.toMs,
      limit: params.limit,
      ...(params.q ? { q: params.q } : {}),
    },
  );
  return {
    data: rows.map((row) => ({
      name: row.name,
      type: row.type,
      unit: row.unit,
      description: row.description,
      points: Number(row.points),
      lastSeen: new Date(Number(row.last_ms)).toISOString(),
    })),
  };
}
