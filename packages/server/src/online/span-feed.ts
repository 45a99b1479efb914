/**
 * The spans a rule reads, in the order they were stored: keyset-paged on (insert time, trace id,
 * span id) after a cursor and before an upper insert time, matching the rule's filter and kept
 * by its sampling rate. Sampling is a hash of the trace id, so every rule at the same rate keeps
 * the same traces, and a trace is kept or dropped whole. Backfills page on start time instead.
 */
import type { Span } from '@argus/shared';
import type { SpanFilters } from '../query/index.ts';
import { ALL_SPAN_FILTERS, allOf, matchingTraces, type Predicate, spanWhere } from '../query/sql.ts';
import { type ClickhouseDriver, mapYielding } from '../store/clickhouse/driver.ts';
import { rowToSpan, SPAN_COLUMNS } from '../store/rows.ts';
import type { FeedCursor } from './cursors.ts';

/** The attributes the output-health checks read (whether JSON was requested). */
const HEALTH_ATTRIBUTES = [
  'gen_ai.output.type',
  'gen_ai.openai.request.response_format',
  'gen_ai.request.response_format',
  'llm.invocation_parameters',
];

/**
 * The columns the output-health checks need: every span column, but the large ones they never
 * read empty and the attributes cut to {@link HEALTH_ATTRIBUTES}, so reading and parsing a span
 * costs little more than its input and output.
 */
export const HEALTH_COLUMNS = SPAN_COLUMNS.replace(/\bresource_attributes\b/, "'' AS resource_attributes")
  .replace(/\bevents\b/, "'' AS events")
  .replace(/\bsystem_instructions\b/, "'' AS system_instructions")
  .replace(/\bretrieval_documents\b/, "'' AS retrieval_documents")
  .replace(
    /(^|[\s,])attributes(?=,)/,
    `$1concat('{', arrayStringConcat(arrayFilter(x -> x != '', arrayMap(k -> if(JSONHas(attributes, k), concat(toJSONString(k), ':', JSONExtractRaw(attributes, k)), ''), ${JSON.stringify(HEALTH_ATTRIBUTES).replaceAll('"', "'")})), ','), '}') AS attributes`,
  );

/** A span and where it is in the feed. */
export interface FeedSpan {
  span: Span;
  insertedMs: number;
  startNs: string;
}

/** Sampling resolution: rates are applied in millionths. */
const SAMPLING_SCALE = 1_000_000;
/** The service of evaluator traces (quality/evaluators/trace.ts): a judge's own calls are never evaluated. */
const EVALUATOR_SERVICE = 'argus-evaluators';

/** What to read: the rule's filters (its window bounds start times), target and sample. */
export interface FeedQuery {
  filters: SpanFilters;
  target: 'span' | 'trace';
  samplingRate: number;
  limit: number;
}

/** The rule's predicate: filter (on the span, or on any span of the trace for a trace rule) and sample. */
function rulePredicate(projectId: string, query: FeedQuery): Predicate {
  const sample: Predicate = {
    sql: `cityHash64(trace_id) % ${SAMPLING_SCALE} < {sampleBelow:UInt64}`,
    params: {
      sampleBelow: Math.round(query.samplingRate * SAMPLING_SCALE),
      evaluatorService: EVALUATOR_SERVICE,
    },
  };
  const notJudges: Predicate = { sql: 'service_name != {evaluatorService:String}', params: {} };
  if (query.target === 'span') return allOf(spanWhere(projectId, query.filters), notJudges, sample);
  const roots = spanWhere(projectId, query.filters, { keys: [] });
  return allOf(
    roots,
    notJudges,
    { sql: "parent_span_id = ''", params: {} },
    matchingTraces(projectId, query.filters, ALL_SPAN_FILTERS),
    sample,
  );
}

/**
 * The feed's reads run beside live traffic: their rows (whole spans, ~2 KB each) are parsed and
 * rebuilt this many at a time, with a turn of the event loop between — one parse of 1,000 held the
 * gateway's calls up for ~20 ms every round (docs/benchmarks.md).
 */
const YIELD_EVERY_ROWS = 32;

/** Reads whole spans for keys picked by an inner query (heavy columns are read for those rows only). */
async function readPicked(
  driver: ClickhouseDriver,
  where: Predicate,
  order: string,
  limit: number,
  columns = SPAN_COLUMNS,
): Promise<FeedSpan[]> {
  const rows = await driver.query<Record<string, unknown>>(
    `SELECT ${columns}, toUnixTimestamp64Milli(inserted_at) AS inserted_ms
FROM spans
WHERE ${where.sql}
  AND (trace_id, span_id, inserted_at) IN (
    SELECT trace_id, span_id, inserted_at FROM spans WHERE ${where.sql} ORDER BY ${order} LIMIT {feedRows:UInt32})
ORDER BY ${order}
LIMIT 1 BY trace_id, span_id
LIMIT {feedRows:UInt32}`,
    { ...where.params, feedRows: limit },
    { yieldEveryRows: YIELD_EVERY_ROWS },
  );
  return mapYielding(rows, YIELD_EVERY_ROWS, (row) => ({
    span: rowToSpan(row),
    insertedMs: Number(row.inserted_ms),
    startNs: String(row.start_ns),
  }));
}

/**
 * The next spans after `cursor` stored before `beforeMs` (exclusive), oldest insert first.
 * The query's window bounds start times (a span stored long after it started is found as long
 * as it started inside it).
 */
export function readAfter(
  driver: ClickhouseDriver,
  projectId: string,
  query: FeedQuery,
  range: { cursor: FeedCursor; beforeMs: number; columns?: string },
): Promise<FeedSpan[]> {
  const after: Predicate = {
    sql: `inserted_at >= fromUnixTimestamp64Milli({afterMs:Int64}, 'UTC')
  AND inserted_at < fromUnixTimestamp64Milli({beforeMs:Int64}, 'UTC')
  AND (toUnixTimestamp64Milli(inserted_at), toString(trace_id), toString(span_id)) > ({afterMs:Int64}, {afterTrace:String}, {afterSpan:String})`,
    params: {
      afterMs: range.cursor.insertedMs,
      beforeMs: range.beforeMs,
      afterTrace: range.cursor.traceId,
      afterSpan: range.cursor.spanId,
    },
  };
  return readPicked(
    driver,
    allOf(rulePredicate(projectId, query), after),
    'inserted_at, trace_id, span_id',
    query.limit,
    range.columns,
  );
}

/** The next spans of a backfill after (start time, key), oldest start first, inside the filters' window. */
export function readBackfill(
  driver: ClickhouseDriver,
  projectId: string,
  query: FeedQuery,
  cursor: { startNs: string; key: string },
): Promise<FeedSpan[]> {
  const after: Predicate =
    cursor.startNs === ''
      ? { sql: '', params: {} }
      : {
          sql: `(start_time, concat(toString(trace_id), ':', toString(span_id))) > (fromUnixTimestamp64Nano({bfNs:Int64}), {bfKey:String})`,
          params: { bfNs: cursor.startNs, bfKey: cursor.key },
        };
  return readPicked(
    driver,
    allOf(rulePredicate(projectId, query), after),
    "start_time, concat(toString(trace_id), ':', toString(span_id))",
    query.limit,
  );
}

/** The newest matching spans (dry runs), newest first. */
export function readNewest(
  driver: ClickhouseDriver,
  projectId: string,
  query: FeedQuery,
): Promise<FeedSpan[]> {
  return readPicked(driver, rulePredicate(projectId, query), 'start_time DESC, span_id DESC', query.limit);
}

/** How many spans match the filter (sampled or not) in the window, for dry runs. */
export async function countMatching(
  driver: ClickhouseDriver,
  projectId: string,
  query: FeedQuery,
): Promise<number> {
  const where = rulePredicate(projectId, { ...query, samplingRate: 1 });
  const [row] = await driver.query<{ n: string | number }>(
    `SELECT count() AS n FROM spans WHERE ${where.sql}`,
    where.params,
  );
  return Number(row?.n ?? 0);
}
