/**
 * Request metrics (counts, errors, latency and TTFT quantiles, tokens, cost, tokens/s) over
 * either raw `spans` or the per-minute `spans_1m` rollup, with the same output columns so
 * callers cannot tell which one answered except by speed.
 */
import { type GroupBy, METRIC_NAMES, type MetricName } from '@argus/shared';
import type { SpanFilters } from './filters.ts';
import {
  baseParams,
  hasAnyFilter,
  type Predicate,
  RAW_SPAN_FILTERS,
  type SpanFilterKey,
  spanConditions,
} from './sql.ts';

/** Values of every metric; 0 where there is no data. */
export type MetricValues = Record<MetricName, number>;

/** Dimensions a series may be grouped by, and the column expression each one reads (a fixed whitelist). */
export const GROUP_COLUMNS = {
  model: "if(response_model != '', response_model, request_model)",
  provider: 'provider',
  service: 'service_name',
  environment: 'environment',
  kind: 'kind',
} as const satisfies Record<GroupBy, string>;

// Filters the rollup can answer: its dimensions. Anything else needs raw spans.
const ROLLUP_FILTERS: readonly SpanFilterKey[] = ['services', 'environments', 'kinds', 'providers', 'models'];

/** True when `spans_1m` can answer: only rollup dimensions are filtered and buckets are whole minutes. */
export function canUseRollup(filters: SpanFilters, stepSeconds: number): boolean {
  return stepSeconds % 60 === 0 && !hasAnyFilter(filters, RAW_SPAN_FILTERS);
}

/** Where aggregated rows come from. */
export interface AggregateSource {
  table: 'spans' | 'spans_1m' | 'spans_1h';
  /** The time column (bucketing and first/last seen). */
  timeColumn: 'start_time' | 'minute';
  /** Project, half-open window [fromMs, toMs) and filters. */
  where: Predicate;
  /** The aggregate select list (aliases `m_*`, never shadowing a column). */
  metrics: string;
}

// NULL perplexities (spans without logprobs) are left out of avg and quantile.
const CONFIDENCE_SELECT = `avg(perplexity) AS m_perplexity_mean, quantile(0.95)(perplexity) AS m_perplexity_p95,
  avg(low_prob_share) AS m_low_prob_share, countIf(perplexity IS NOT NULL) AS m_logprob_requests`;

const RAW_METRICS = `count() AS m_requests, countIf(status = 'error') AS m_errors,
  quantiles(0.5, 0.95, 0.99)(duration_ms) AS m_latency, quantiles(0.5, 0.95)(ttft_ms) AS m_ttft,
  sumIf(input_tokens, usage_counted) AS m_input_tokens, sumIf(output_tokens, usage_counted) AS m_output_tokens,
  sumIf(cost_usd, usage_counted) AS m_cost_usd,
  sumIf(output_tokens, tokens_per_second IS NOT NULL) AS m_streamed_tokens,
  sumIf(ifNull(output_tokens / tokens_per_second, 0), tokens_per_second > 0) AS m_generation_seconds,
  toString(toUnixTimestamp64Nano(min(start_time))) AS m_first_ns,
  toString(toUnixTimestamp64Nano(max(start_time))) AS m_last_ns,
  ${CONFIDENCE_SELECT}`;

const ROLLUP_METRICS = `sum(requests) AS m_requests, sum(errors) AS m_errors,
  quantilesTDigestMerge(0.5, 0.95, 0.99)(duration_q) AS m_latency,
  quantilesTDigestMerge(0.5, 0.95, 0.99)(ttft_q) AS m_ttft,
  sum(input_tokens_sum) AS m_input_tokens, sum(output_tokens_sum) AS m_output_tokens, sum(cost_usd) AS m_cost_usd,
  sum(streamed_output_tokens) AS m_streamed_tokens, sum(generation_seconds) AS m_generation_seconds,
  toString(toUnixTimestamp(min(minute)) * 1000000000) AS m_first_ns,
  toString(toUnixTimestamp(max(minute)) * 1000000000) AS m_last_ns`;

/**
 * The source for aggregating `filters` over the half-open window [fromMs, toMs).
 * @param options.rollup read `spans_1m` (the caller checked {@link canUseRollup} and minute alignment).
 * @param options.hourly with `rollup`, read `spans_1h` instead (the window and buckets are whole hours).
 * @param options.extra further predicate (over columns both tables have).
 */
export function aggregateSource(
  projectId: string,
  filters: SpanFilters,
  options: { fromMs: number; toMs: number; rollup: boolean; hourly?: boolean; extra?: string },
): AggregateSource {
  const timeColumn = options.rollup ? 'minute' : 'start_time';
  const conditions = spanConditions(filters, options.rollup ? ROLLUP_FILTERS : undefined);
  const sql = [
    'project_id = {projectId:String}',
    `${timeColumn} >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC')`,
    `${timeColumn} < fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')`,
    ...(conditions.sql ? [conditions.sql] : []),
    ...(options.extra ? [options.extra] : []),
  ].join('\n  AND ');
  const window = { ...filters, fromMs: options.fromMs, toMs: options.toMs };
  return {
    table: options.rollup ? (options.hourly ? 'spans_1h' : 'spans_1m') : 'spans',
    timeColumn,
    where: { sql, params: { ...baseParams(projectId, window), ...conditions.params } },
    metrics: options.rollup ? ROLLUP_METRICS : RAW_METRICS,
  };
}

/**
 * Attributes calls that report no response model (they failed before any model answered: 429,
 * timeout) to the model the application asked for: `version` is the response model, or, when it
 * is empty, the only version that answered the same provider and request model in the source's
 * window (still empty when there were none or several). `join` goes after `FROM source.table`;
 * its parameters are the source's.
 */
export function modelVersionJoin(source: AggregateSource): { join: string; version: string } {
  return {
    join: `LEFT JOIN (
  SELECT provider, request_model, uniqExact(response_model) AS versions, any(response_model) AS only_version
  FROM ${source.table}
  WHERE ${source.where.sql} AND request_model != '' AND response_model != ''
  GROUP BY provider, request_model
) AS known USING (provider, request_model)`,
    version: "if(response_model = '' AND known.versions = 1, known.only_version, response_model)",
  };
}

/** A row with the `m_*` columns of {@link AggregateSource.metrics}. */
export interface MetricRow {
  m_requests: string | number;
  m_errors: string | number;
  m_latency: (number | null)[] | null;
  m_ttft: (number | null)[] | null;
  m_input_tokens: string | number;
  m_output_tokens: string | number;
  m_cost_usd: number;
  m_streamed_tokens: string | number;
  m_generation_seconds: number;
  m_first_ns: string;
  m_last_ns: string;
  /** Raw spans only (the rollups have no confidence columns). */
  m_perplexity_mean?: number | null;
  m_perplexity_p95?: number | null;
  m_low_prob_share?: number | null;
  m_logprob_requests?: string | number;
}

const finite = (value: unknown): number => {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
};

/** Converts a metric row to values (NaN and NULL quantiles of empty input become 0). */
export function toMetricValues(row: MetricRow): MetricValues {
  const requests = finite(row.m_requests);
  const errors = finite(row.m_errors);
  const generationSeconds = finite(row.m_generation_seconds);
  return {
    requests,
    errors,
    errorRate: requests > 0 ? errors / requests : 0,
    latencyP50: finite(row.m_latency?.[0]),
    latencyP95: finite(row.m_latency?.[1]),
    latencyP99: finite(row.m_latency?.[2]),
    ttftP50: finite(row.m_ttft?.[0]),
    ttftP95: finite(row.m_ttft?.[1]),
    inputTokens: finite(row.m_input_tokens),
    outputTokens: finite(row.m_output_tokens),
    costUsd: finite(row.m_cost_usd),
    tokensPerSecond: generationSeconds > 0 ? finite(row.m_streamed_tokens) / generationSeconds : 0,
    // Filled from output_health by the series when asked for (query/output-health.ts).
    outputErrors: 0,
    outputErrorRate: 0,
    perplexityMean: finite(row.m_perplexity_mean),
    perplexityP95: finite(row.m_perplexity_p95),
    lowProbShare: finite(row.m_low_prob_share),
    logprobRequests: finite(row.m_logprob_requests),
  };
}

/** Zero for every metric (empty buckets). */
export function zeroMetrics(): MetricValues {
  return Object.fromEntries(METRIC_NAMES.map((name) => [name, 0])) as MetricValues;
}
