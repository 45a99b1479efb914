/**
 * The telemetry tables, described once. `ddl.ts` renders them for each deployment profile.
 * Column names are the snake_case twins of the canonical span fields (packages/shared).
 */

/** A table described independently of its engine's replication and sharding. */
export interface TableSpec {
  name: string;
  /** Column and index definitions, comma-separated, as inside CREATE TABLE ( … ). */
  body: string;
  engine: 'MergeTree' | 'AggregatingMergeTree' | 'ReplacingMergeTree';
  partitionBy: string;
  orderBy: string;
  /** TTL expression using `{retentionDays}`; absent = no TTL. */
  ttl?: string;
  settings?: string;
  /** Distributed sharding key for the sharded profile. */
  shardingKey: string;
}

/** A materialized view feeding `to` from `from`. */
export interface ViewSpec {
  name: string;
  from: string;
  to: string;
  select: string;
}

const LC = 'LowCardinality(String)';
const TIME = "DateTime64(9, 'UTC')";

export const SPANS: TableSpec = {
  name: 'spans',
  body: `
  project_id ${LC},
  trace_id FixedString(32),
  span_id FixedString(16),
  parent_span_id String,
  name ${LC},
  kind ${LC},
  service_name ${LC},
  service_version ${LC},
  environment ${LC},
  scope ${LC},
  start_time ${TIME} CODEC(Delta, ZSTD(1)),
  end_time ${TIME} CODEC(Delta, ZSTD(1)),
  duration_ms Float64 CODEC(ZSTD(1)),
  status Enum8('unset' = 0, 'ok' = 1, 'error' = 2),
  status_message String CODEC(ZSTD(1)),
  error_type ${LC},
  provider ${LC},
  operation ${LC},
  request_model ${LC},
  response_model ${LC},
  params String CODEC(ZSTD(1)),
  input_tokens UInt32 CODEC(T64, ZSTD(1)),
  output_tokens UInt32 CODEC(T64, ZSTD(1)),
  total_tokens UInt32 CODEC(T64, ZSTD(1)),
  cache_read_tokens UInt32 CODEC(T64, ZSTD(1)),
  cache_write_tokens UInt32 CODEC(T64, ZSTD(1)),
  reasoning_tokens UInt32 CODEC(T64, ZSTD(1)),
  tokens_estimated Bool,
  usage_counted Bool,
  cost_usd Float64 CODEC(ZSTD(1)),
  input_cost_usd Float64 CODEC(ZSTD(1)),
  output_cost_usd Float64 CODEC(ZSTD(1)),
  cost_source ${LC},
  ttft_ms Nullable(Float64),
  tokens_per_second Nullable(Float64),
  finish_reasons Array(${LC}),
  response_id String CODEC(ZSTD(1)),
  input String CODEC(ZSTD(3)),
  output String CODEC(ZSTD(3)),
  input_preview String CODEC(ZSTD(1)),
  output_preview String CODEC(ZSTD(1)),
  system_instructions String CODEC(ZSTD(3)),
  tool_definitions String CODEC(ZSTD(3)),
  tool_name ${LC},
  tool_call_id String CODEC(ZSTD(1)),
  retrieval_documents String CODEC(ZSTD(3)),
  session_id String CODEC(ZSTD(1)),
  user_id String CODEC(ZSTD(1)),
  conversation_id String CODEC(ZSTD(1)),
  tags Array(String) CODEC(ZSTD(1)),
  metadata Map(${LC}, String) CODEC(ZSTD(1)),
  attributes String CODEC(ZSTD(3)),
  resource_attributes String CODEC(ZSTD(3)),
  events String CODEC(ZSTD(3)),
  convention ${LC},
  inserted_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
  INDEX idx_user_id user_id TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_session_id session_id TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_tags tags TYPE bloom_filter(0.01) GRANULARITY 1,
  INDEX idx_duration duration_ms TYPE minmax GRANULARITY 1,
  INDEX idx_cost cost_usd TYPE minmax GRANULARITY 1,
  INDEX idx_fts_input lower(input) TYPE text(tokenizer = splitByNonAlpha),
  INDEX idx_fts_output lower(output) TYPE text(tokenizer = splitByNonAlpha)`,
  engine: 'MergeTree',
  partitionBy: 'toDate(start_time)',
  // Tenant, then an hour bucket (time pruning), then root spans together (trace lists read
  // only roots), then time for read-in-order.
  orderBy: "(project_id, toStartOfHour(start_time), parent_span_id != '', start_time)",
  ttl: 'toDateTime(start_time) + INTERVAL {retentionDays} DAY',
  // Granules of at most 1 MiB (~250 rows of LLM spans, not 8,192): reading one trace decompresses
  // the granules that hold it in every column, and at 8,192 rows that was ~30 MB of prompt text
  // for a 5-span trace. Measured at 10 M spans: trace by id 43 -> 23 ms on the engine, filtered
  // lists and common-word search ~2x faster, ingest CPU unchanged, marks 0.5 -> 4 MB
  // (docs/benchmarks.md). The last two settings are migration 11's (compact parts under 64 MiB,
  // vertical merges from the first row); stores created before v12 get this layout from migration 12.
  settings:
    "index_granularity = 8192, index_granularity_bytes = '1Mi', ttl_only_drop_parts = 1, min_bytes_for_wide_part = 67108864, vertical_merge_algorithm_min_rows_to_activate = 1",
  shardingKey: 'cityHash64(project_id, trace_id)',
};

export const TRACE_INDEX: TableSpec = {
  name: 'trace_index',
  body: `
  project_id ${LC},
  trace_id FixedString(32),
  start_time SimpleAggregateFunction(min, ${TIME}),
  end_time SimpleAggregateFunction(max, ${TIME}),
  span_count SimpleAggregateFunction(sum, UInt64),
  error_count SimpleAggregateFunction(sum, UInt64),
  llm_count SimpleAggregateFunction(sum, UInt64),
  input_tokens SimpleAggregateFunction(sum, UInt64),
  output_tokens SimpleAggregateFunction(sum, UInt64),
  total_tokens SimpleAggregateFunction(sum, UInt64),
  cost_usd SimpleAggregateFunction(sum, Float64),
  models SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  services SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
  user_id SimpleAggregateFunction(max, String),
  session_id SimpleAggregateFunction(max, String),
  root_name SimpleAggregateFunction(max, String)`,
  engine: 'AggregatingMergeTree',
  partitionBy: 'toYYYYMM(start_time)',
  orderBy: '(project_id, trace_id)',
  ttl: 'toDateTime(end_time) + INTERVAL {retentionDays} DAY',
  shardingKey: 'cityHash64(project_id, trace_id)',
};

export const TRACE_INDEX_MV: ViewSpec = {
  name: 'trace_index_mv',
  from: 'spans',
  to: 'trace_index',
  select: `SELECT project_id, trace_id,
  min(start_time) AS start_time, max(end_time) AS end_time,
  count() AS span_count, countIf(status = 'error') AS error_count,
  countIf(kind = 'llm') AS llm_count,
  sumIf(input_tokens, usage_counted) AS input_tokens,
  sumIf(output_tokens, usage_counted) AS output_tokens,
  sumIf(total_tokens, usage_counted) AS total_tokens,
  sumIf(cost_usd, usage_counted) AS cost_usd,
  groupUniqArrayIf(if(response_model != '', response_model, request_model), request_model != '' OR response_model != '') AS models,
  groupUniqArray(service_name) AS services,
  max(user_id) AS user_id, max(session_id) AS session_id,
  maxIf(name, parent_span_id = '') AS root_name
FROM spans GROUP BY project_id, trace_id`,
};

export const SPANS_1M: TableSpec = {
  name: 'spans_1m',
  body: `
  project_id ${LC},
  minute DateTime('UTC') CODEC(Delta, ZSTD(1)),
  service_name ${LC},
  environment ${LC},
  kind ${LC},
  provider ${LC},
  request_model ${LC},
  response_model ${LC},
  requests SimpleAggregateFunction(sum, UInt64),
  errors SimpleAggregateFunction(sum, UInt64),
  input_tokens_sum SimpleAggregateFunction(sum, UInt64),
  output_tokens_sum SimpleAggregateFunction(sum, UInt64),
  cost_usd SimpleAggregateFunction(sum, Float64),
  duration_ms_sum SimpleAggregateFunction(sum, Float64),
  streamed_output_tokens SimpleAggregateFunction(sum, UInt64),
  generation_seconds SimpleAggregateFunction(sum, Float64),
  duration_q AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Float64),
  ttft_q AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Nullable(Float64))`,
  engine: 'AggregatingMergeTree',
  partitionBy: 'toYYYYMM(minute)',
  orderBy: '(project_id, minute, kind, service_name, environment, provider, request_model, response_model)',
  ttl: 'minute + INTERVAL {rollupRetentionDays} DAY',
  shardingKey: 'cityHash64(project_id, minute)',
};

export const SPANS_1M_MV: ViewSpec = {
  name: 'spans_1m_mv',
  from: 'spans',
  to: 'spans_1m',
  select: `SELECT project_id, toStartOfMinute(start_time) AS minute, service_name, environment, kind, provider,
  request_model, response_model,
  count() AS requests, countIf(status = 'error') AS errors,
  sumIf(input_tokens, usage_counted) AS input_tokens_sum, sumIf(output_tokens, usage_counted) AS output_tokens_sum,
  sumIf(cost_usd, usage_counted) AS cost_usd, sum(duration_ms) AS duration_ms_sum,
  sumIf(output_tokens, tokens_per_second IS NOT NULL) AS streamed_output_tokens,
  sumIf(ifNull(output_tokens / tokens_per_second, 0), tokens_per_second > 0) AS generation_seconds,
  quantilesTDigestState(0.5, 0.95, 0.99)(duration_ms) AS duration_q,
  quantilesTDigestState(0.5, 0.95, 0.99)(ttft_ms) AS ttft_q
FROM spans GROUP BY project_id, minute, service_name, environment, kind, provider, request_model, response_model`,
};

/** Hourly rollup: series with whole-hour steps (7-day overviews) read 60× fewer rows. */
export const SPANS_1H: TableSpec = {
  ...SPANS_1M,
  name: 'spans_1h',
  shardingKey: 'cityHash64(project_id, minute)',
};

/** Fed from `spans_1m` (a cascade: each insert's minute rows are merged into hours); `src.` keeps
 * `minute` from resolving to its own alias. */
export const SPANS_1H_MV: ViewSpec = {
  name: 'spans_1h_mv',
  from: 'spans_1m',
  to: 'spans_1h',
  select: `SELECT project_id, toStartOfHour(src.minute) AS minute, service_name, environment, kind, provider,
  request_model, response_model,
  sum(requests) AS requests, sum(errors) AS errors,
  sum(input_tokens_sum) AS input_tokens_sum, sum(output_tokens_sum) AS output_tokens_sum,
  sum(cost_usd) AS cost_usd, sum(duration_ms_sum) AS duration_ms_sum,
  sum(streamed_output_tokens) AS streamed_output_tokens, sum(generation_seconds) AS generation_seconds,
  quantilesTDigestMergeState(0.5, 0.95, 0.99)(duration_q) AS duration_q,
  quantilesTDigestMergeState(0.5, 0.95, 0.99)(ttft_q) AS ttft_q
FROM spans_1m AS src GROUP BY project_id, minute, service_name, environment, kind, provider, request_model, response_model`,
};

export const LOGS: TableSpec = {
  name: 'logs',
  body: `
  project_id ${LC},
  time ${TIME} CODEC(Delta, ZSTD(1)),
  observed_time ${TIME} CODEC(Delta, ZSTD(1)),
  trace_id String CODEC(ZSTD(1)),
  span_id String CODEC(ZSTD(1)),
  severity_number UInt8,
  severity_text ${LC},
  event_name ${LC},
  service_name ${LC},
  scope ${LC},
  body String CODEC(ZSTD(3)),
  attributes String CODEC(ZSTD(3)),
  resource_attributes String CODEC(ZSTD(3)),
  content String CODEC(ZSTD(3)),
  inserted_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
  INDEX idx_fts_content lower(content) TYPE text(tokenizer = splitByNonAlpha)`,
  engine: 'MergeTree',
  partitionBy: 'toDate(time)',
  orderBy: '(project_id, toStartOfHour(time), service_name, time)',
  ttl: 'toDateTime(time) + INTERVAL {retentionDays} DAY',
  settings: 'ttl_only_drop_parts = 1',
  shardingKey: 'cityHash64(project_id, trace_id)',
};

export const METRIC_POINTS: TableSpec = {
  name: 'metric_points',
  body: `
  project_id ${LC},
  metric_name ${LC},
  metric_type ${LC},
  description String CODEC(ZSTD(1)),
  unit ${LC},
  temporality UInt8,
  is_monotonic Bool,
  service_name ${LC},
  scope ${LC},
  time ${TIME} CODEC(Delta, ZSTD(1)),
  start_time ${TIME} CODEC(Delta, ZSTD(1)),
  attributes Map(${LC}, String) CODEC(ZSTD(1)),
  resource_attributes Map(${LC}, String) CODEC(ZSTD(1)),
  value Float64 CODEC(ZSTD(1)),
  count UInt64 CODEC(T64, ZSTD(1)),
  sum Float64 CODEC(ZSTD(1)),
  min Nullable(Float64),
  max Nullable(Float64),
  bucket_counts Array(UInt64) CODEC(ZSTD(1)),
  explicit_bounds Array(Float64) CODEC(ZSTD(1)),
  quantiles Array(Tuple(Float64, Float64)) CODEC(ZSTD(1)),
  exp_scale Int32,
  exp_zero_count UInt64,
  exp_positive_offset Int32,
  exp_positive_counts Array(UInt64),
  exp_negative_offset Int32,
  exp_negative_counts Array(UInt64),
  point_hash UInt64 MATERIALIZED cityHash64(metric_name, time, start_time, toString(attributes), toString(resource_attributes)),
  inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)`,
  engine: 'MergeTree',
  partitionBy: 'toDate(time)',
  orderBy: '(project_id, metric_name, service_name, time)',
  ttl: 'toDateTime(time) + INTERVAL {retentionDays} DAY',
  settings: 'ttl_only_drop_parts = 1',
  shardingKey: 'cityHash64(project_id, metric_name)',
};

export const SCORES: TableSpec = {
  name: 'scores',
  body: `
  project_id ${LC},
  score_id String,
  trace_id FixedString(32),
  span_id String,
  name ${LC},
  value Float64,
  string_value String,
  comment String CODEC(ZSTD(1)),
  source ${LC},
  author String,
  time ${TIME},
  metadata Map(${LC}, String),
  inserted_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1`,
  engine: 'MergeTree',
  partitionBy: 'toYYYYMM(time)',
  orderBy: '(project_id, name, time)',
  ttl: 'toDateTime(time) + INTERVAL {retentionDays} DAY',
  shardingKey: 'cityHash64(project_id, trace_id)',
};

/**
 * One row per LLM span the output-health checks read (online/health): the span's model and
 * service for "output error rate by model", and the flags it raised (empty = healthy). Written
 * by the online worker, never on the ingest path.
 */
export const OUTPUT_HEALTH: TableSpec = {
  name: 'output_health',
  body: `
  project_id ${LC},
  time ${TIME},
  trace_id FixedString(32),
  span_id FixedString(16),
  model ${LC},
  provider ${LC},
  service_name ${LC},
  environment ${LC},
  flags Array(${LC}),
  reasons String CODEC(ZSTD(1)),
  inserted_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1`,
  engine: 'MergeTree',
  partitionBy: 'toDate(time)',
  orderBy: '(project_id, time)',
  ttl: 'toDateTime(time) + INTERVAL {retentionDays} DAY',
  settings: 'ttl_only_drop_parts = 1',
  shardingKey: 'cityHash64(project_id, trace_id)',
};

/**
 * One row per experiment item run (an item and a repetition): output, trace, scores, latency,
 * tokens and cost (quality/experiments). A re-posted result replaces the earlier one, so reads
 * take the newest row per item and repetition (`LIMIT 1 BY`). No TTL: an experiment is kept
 * until it is deleted, whatever the trace retention.
 */
export const EXPERIMENT_RESULTS: TableSpec = {
  name: 'experiment_results',
  body: `
  project_id ${LC},
  experiment_id String,
  item_id String,
  repetition UInt32,
  trace_id String,
  output String CODEC(ZSTD(1)),
  expected String CODEC(ZSTD(1)),
  error String,
  latency_ms Nullable(Float64),
  input_tokens UInt64,
  output_tokens UInt64,
  cost_usd Float64,
  scores Map(${LC}, Float64),
  time DateTime64(3, 'UTC'),
  inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)`,
  engine: 'ReplacingMergeTree',
  partitionBy: 'tuple()',
  orderBy: '(project_id, experiment_id, item_id, repetition)',
  shardingKey: 'cityHash64(project_id, experiment_id)',
};
