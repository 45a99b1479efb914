/**
 * Models in use: one row per (provider, request model, response model version) with request,
 * error, latency, TTFT, token and cost figures. The window is widened to whole minutes so the
 * `spans_1m` rollup and raw spans give the same answer; the rollup is read when it can be.
 */

import type { ModelSummary } from '@argus/shared';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { nanosToIso } from '../store/rows.ts';
import {
  aggregateSource,
  canUseRollup,
  type MetricRow,
  modelVersionJoin,
  toMetricValues,
} from './aggregate.ts';
import type { SpanFilters } from './filters.ts';
import type { Page } from './traces.ts';

export type { ModelSummary };

type ModelRow = MetricRow & { provider: string; request_model: string; version: string };

/**
 * Lists model versions seen in the window, busiest first, at most `filters.limit` (no cursor:
 * the list is small). Calls without a response model (failed before any model answered) count
 * in the row of their request model's only version in the window, if it has exactly one.
 */
export async function listModels(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
): Promise<Page<ModelSummary>> {
  const fromMs = Math.floor(filters.fromMs / 60_000) * 60_000;
  const toMs = Math.floor(filters.toMs / 60_000) * 60_000 + 60_000;
  const source = aggregateSource(projectId, filters, {
    fromMs,
    toMs,
    rollup: canUseRollup(filters, 60),
    extra: "(request_model != '' OR response_model != '')",
  });
  // A call that failed before any model answered (429, timeout) reports no response model. It
  // counts against the version that answered its request model in the window when there is
  // exactly one; with several versions it cannot be placed and keeps a row of its own.
  const model = modelVersionJoin(source);
  const rows = await driver.query<ModelRow>(
    `SELECT provider, request_model, ${model.version} AS version,
  ${source.metrics}
FROM ${source.table}
${model.join}
WHERE ${source.where.sql}
GROUP BY provider, request_model, version
ORDER BY m_requests DESC, request_model, version, provider
LIMIT {limit:UInt32}`,
    { ...source.where.params, limit: filters.limit },
  );
  return {
    data: rows.map((row) => {
      const m = toMetricValues(row);
      return {
        provider: row.provider,
        requestModel: row.request_model,
        responseModel: row.version,
        requests: m.requests,
        errors: m.errors,
        errorRate: m.errorRate,
        latencyP50: m.latencyP50,
        latencyP95: m.latencyP95,
        ttftP50: m.ttftP50,
        inputTokens: m.inputTokens,
        outputTokens: m.outputTokens,
        costUsd: m.costUsd,
        firstSeen: nanosToIso(row.m_first_ns),
        lastSeen: nanosToIso(row.m_last_ns),
      };
    }),
  };
}
