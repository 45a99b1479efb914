/**
 * One trace by id: `trace_index` gives its time window, then its spans are read inside that
 * window (partition and primary-key pruning plus the trace-id bloom index), GenAI content that
 * arrived as log records is merged into spans that lack input/output, and scores are attached.
 */

import type { Score, Span } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import { mergeSpanContent } from '../normalize/index.ts';
import type { SpanContent } from '../normalize/types.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { nanosToIso, rowToSpan, SPAN_COLUMNS, type SpanRow } from '../store/rows.ts';
import { invalidParameter } from './params.ts';

export type { Score };

/** Most spans returned for one trace. */
export const MAX_TRACE_SPANS = 10_000;
/** Most content log records and scores read for one trace. */
export const MAX_TRACE_LOGS = 20_000;
const MAX_TRACE_SCORES = 1_000;
// Log records may be stamped a little before/after their span (clock skew, batching).
export const LOG_SLACK_NS = 3600n * 1_000_000_000n;

/** A whole trace: its spans in start order and its scores. */
export interface TraceDetail {
  traceId: string;
  spans: Span[];
  scores: Score[];
  /** True when the trace has more than {@link MAX_TRACE_SPANS} spans and only the first were returned. */
  truncated: boolean;
}

/** Validates a trace id (32 hex characters, any case) and returns it lowercased. */
export function parseTraceId(raw: string): string {
  if (!/^[0-9a-fA-F]{32}$/.test(raw)) {
    const shown = raw.length > 60 ? `${raw.slice(0, 57)}…` : raw;
    throw invalidParameter('traceId', `'${shown}' is not 32 hexadecimal characters`);
  }
  return raw.toLowerCase();
}

/**
 * Fetches one trace.
 * @throws ArgusError INVALID_PARAMETER for a malformed id, NOT_FOUND when the project has no such trace.
 */
export async function getTrace(
  driver: ClickhouseDriver,
  projectId: string,
  rawTraceId: string,
): Promise<TraceDetail> {
  const traceId = parseTraceId(rawTraceId);
  // Point lookup on the (project_id, trace_id) key; its window bounds every following query.
  // The trace's partial rows (not yet merged) are folded here rather than with min/max in the
  // engine: the engine JIT-compiles an aggregate on its fourth use, ~25 ms once, for a few rows.
  const partials = await driver.query<{ start_ns: string; end_ns: string }>(
    `SELECT toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
  toString(toUnixTimestamp64Nano(end_time)) AS end_ns
FROM trace_index WHERE project_id = {projectId:String} AND trace_id = {traceId:String}`,
    { projectId, traceId },
  );
  if (partials.length === 0)
    throw new ArgusError('NOT_FOUND', `Trace '${traceId}' was not found in project '${projectId}'`);
  let startNs = BigInt(partials[0]!.start_ns);
  let endNs = BigInt(partials[0]!.end_ns);
  for (const partial of partials) {
    const start = BigInt(partial.start_ns);
    const end = BigInt(partial.end_ns);
    if (start < startNs) startNs = start;
    if (end > endNs) endNs = end;
  }
  if (endNs < startNs) endNs = startNs;
  const params = {
    projectId,
    traceId,
    startNs: startNs.toString(),
    endNs: endNs.toString(),
    logFromNs: (startNs - LOG_SLACK_NS).toString(),
    logToNs: (endNs + LOG_SLACK_NS).toString(),
  };
  const [rows, contents, scores] = await Promise.all([
    driver.query<SpanRow>(
      `SELECT ${SPAN_COLUMNS}
FROM spans
WHERE project_id = {projectId:String} AND trace_id = {traceId:String}
  AND start_time BETWEEN fromUnixTimestamp64Nano({startNs:Int64}) AND fromUnixTimestamp64Nano({endNs:Int64})
ORDER BY start_time, span_id
LIMIT 1 BY span_id
LIMIT {limit:UInt32}`,
      { ...params, limit: MAX_TRACE_SPANS + 1 },
    ),
    fetchContents(driver, params),
    fetchScores(driver, params),
  ]);
  if (rows.length === 0)
    throw new ArgusError('NOT_FOUND', `Trace '${traceId}' was not found in project '${projectId}'`);
  const spans = rows
    .slice(0, MAX_TRACE_SPANS)
    .map((row) => withLoggedContent(rowToSpan(row), contents.get(row.span_id as string)));
  return { traceId, spans, scores, truncated: rows.length > MAX_TRACE_SPANS };
}

/** A span with the GenAI content logged for it merged in, when it lacks input or output. */
export function withLoggedContent(span: Span, logged: SpanContent[] | undefined): Span {
  return logged && (span.input === undefined || span.output === undefined)
    ? mergeSpanContent(span, logged)
    : span;
}

/** Logged content rows (JSON text) parsed and grouped by `keyOf`, in row order; unparsable ones skipped. */
export function groupContents<R extends { content: string }>(
  rows: readonly R[],
  keyOf: (row: R) => string,
): Map<string, SpanContent[]> {
  const grouped = new Map<string, SpanContent[]>();
  for (const row of rows) {
    let content: SpanContent;
    try {
      content = JSON.parse(row.content) as SpanContent;
    } catch {
      continue;
    }
    const key = keyOf(row);
    const list = grouped.get(key) ?? [];
    list.push(content);
    grouped.set(key, list);
  }
  return grouped;
}

/** GenAI content logged for the trace's spans, in time order, by span id. */
async function fetchContents(
  driver: ClickhouseDriver,
  params: Record<string, string>,
): Promise<Map<string, SpanContent[]>> {
  const rows = await driver.query<{ span_id: string; content: string }>(
    `SELECT span_id, content
FROM logs
WHERE project_id = {projectId:String} AND trace_id = {traceId:String}
  AND time BETWEEN fromUnixTimestamp64Nano({logFromNs:Int64}) AND fromUnixTimestamp64Nano({logToNs:Int64})
  AND content != '' AND span_id != ''
ORDER BY time
LIMIT {limit:UInt32}`,
    { ...params, limit: MAX_TRACE_LOGS },
  );
  return groupContents(rows, (row) => row.span_id);
}

interface ScoreRow {
  score_id: string;
  trace_id: string;
  span_id: string;
  name: string;
  value: number;
  string_value: string;
  comment: string;
  source: string;
  author: string;
  time_ns: string;
  metadata: Record<string, string>;
}

/** Scores of the trace; they may arrive long after it, so only the lower time bound is tight. */
async function fetchScores(driver: ClickhouseDriver, params: Record<string, string>): Promise<Score[]> {
  const rows = await driver.query<ScoreRow>(
    `SELECT score_id, trace_id, span_id, name, value, string_value, comment, source, author,
  toString(toUnixTimestamp64Nano(time)) AS time_ns, metadata
FROM scores
WHERE project_id = {projectId:String} AND trace_id = {traceId:String}
  AND time BETWEEN fromUnixTimestamp64Nano({logFromNs:Int64}) AND now64(9) + INTERVAL 1 DAY
ORDER BY time, score_id
LIMIT {limit:UInt32}`,
    { ...params, limit: MAX_TRACE_SCORES },
  );
  return rows.map((r) => ({
    scoreId: r.score_id,
    traceId: r.trace_id,
    spanId: r.span_id,
    name: r.name,
    value: Number(r.value),
    stringValue: r.string_value,
    comment: r.comment,
    source: r.source,
    author: r.author,
    time: nanosToIso(r.time_ns),
    metadata: r.metadata ?? {},
  }));
}
