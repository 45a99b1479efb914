/**
 * Full spans for export: every span matching the filters, newest first, read in bounded batches
 * keyset-paged on (start_time, span_id) so an export of 100,000 spans never holds more than one
 * batch in memory. Spans are the canonical shape of the trace view (GenAI content that arrived
 * as log records merged in).
 */
import type { Span } from '@argus/shared';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { rowToSpan, SPAN_COLUMNS, type SpanRow } from '../store/rows.ts';
import type { Cursor } from './cursor.ts';
import type { SpanFilters } from './filters.ts';
import { newestSpans } from './spans.ts';
import { afterCursor, allOf, type Predicate, spanWhere } from './sql.ts';
import { groupContents, LOG_SLACK_NS, MAX_TRACE_LOGS, withLoggedContent } from './trace-detail.ts';
import { uniqueBy } from './traces.ts';

/** Default and largest number of spans in one export. */
export const DEFAULT_EXPORT_LIMIT = 10_000;
export const MAX_EXPORT_LIMIT = 100_000;
/** Spans read per query: full spans carry prompts (up to ~1 MiB each), so batches stay small. */
export const EXPORT_BATCH_SPANS = 250;

/** Options of {@link exportSpans}. */
export interface ExportOptions {
  /** Most spans yielded in all. */
  limit: number;
  /** Spans per query; default {@link EXPORT_BATCH_SPANS}. */
  batchSize?: number;
  /** A further condition on spans (e.g. span ids), AND-ed with the filters. */
  where?: Predicate;
}

/**
 * Yields the matching spans of a project in batches, newest first, `limit` in all.
 * Filters are those of the span list (`parseSpanFilters`); `filters.limit` and `cursor` are ignored.
 */
export async function* exportSpans(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
  options: ExportOptions,
): AsyncGenerator<Span[]> {
  const batchSize = options.batchSize ?? EXPORT_BATCH_SPANS;
  let remaining = options.limit;
  let cursor: Cursor | undefined;
  while (remaining > 0) {
    const size = Math.min(batchSize, remaining);
    const where = allOf(
      spanWhere(projectId, filters),
      options.where ?? { sql: '', params: {} },
      afterCursor('start_time', 'span_id', 'String', cursor),
    );
    const rows = await newestSpans(driver, { columns: SPAN_COLUMNS, where, limit: size });
    const last = rows.at(-1);
    if (!last) return;
    // A retried duplicate shares its twin's sort key: drop it here; the cursor skips it next time.
    const unique = uniqueBy(rows, (row) => `${row.trace_id}${row.span_id}`).slice(0, remaining);
    const spans = await withContents(driver, projectId, unique);
    remaining -= spans.length;
    yield spans;
    if (rows.length < size) return;
    cursor = { timeNs: String(last.start_ns), id: String(last.span_id) };
  }
}

/** The batch as spans, content logged for those lacking input or output merged in. */
async function withContents(driver: ClickhouseDriver, projectId: string, rows: SpanRow[]): Promise<Span[]> {
  const spans = rows.map(rowToSpan);
  const lacking = spans.filter((s) => s.input === undefined || s.output === undefined);
  if (lacking.length === 0) return spans;
  let fromNs = BigInt(lacking[0]!.startTimeUnixNano);
  let toNs = fromNs;
  for (const span of lacking) {
    const start = BigInt(span.startTimeUnixNano);
    const end = BigInt(span.endTimeUnixNano);
    if (start < fromNs) fromNs = start;
    if (end > toNs) toNs = end;
  }
  const logged = await driver.query<{ trace_id: string; span_id: string; content: string }>(
    `SELECT trace_id, span_id, content
FROM logs
WHERE project_id = {projectId:String}
  AND time BETWEEN fromUnixTimestamp64Nano({fromNs:Int64}) AND fromUnixTimestamp64Nano({toNs:Int64})
  AND trace_id IN {traceIds:Array(String)} AND span_id IN {spanIds:Array(String)} AND content != ''
ORDER BY time
LIMIT {limit:UInt32}`,
    {
      projectId,
      fromNs: (fromNs - LOG_SLACK_NS).toString(),
      toNs: (toNs + LOG_SLACK_NS).toString(),
      traceIds: [...new Set(lacking.map((s) => s.traceId))],
      spanIds: lacking.map((s) => s.spanId),
      limit: MAX_TRACE_LOGS,
    },
  );
  if (logged.length === 0) return spans;
  const contents = groupContents(logged, (row) => `${row.trace_id}:${row.span_id}`);
  return spans.map((span) => withLoggedContent(span, contents.get(`${span.traceId}:${span.spanId}`)));
}
