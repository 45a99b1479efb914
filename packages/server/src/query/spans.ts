/**
 * The span list: every span matching the filters, newest first, keyset-paged on (start_time,
 * span_id), or least confident first (query/span-order.ts). Items carry previews instead of the
 * heavy content and attribute columns.
 */
import type { SpanSummary } from '@argus/shared';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { CONFIDENCE_COLUMNS, rowToSpan, type SpanRow } from '../store/rows.ts';
import { encodeCursor } from './cursor.ts';
import type { SpanFilters } from './filters.ts';
import { cursorListOf, orderSql, perplexityBits, perplexityCondition, type SpanOrder } from './span-order.ts';
import { afterCursor, allOf, type Predicate, spanWhere } from './sql.ts';
import { type Page, uniqueBy } from './traces.ts';

export type { SpanSummary };

// SPAN_COLUMNS without input, output, system_instructions, tool_definitions,
// retrieval_documents, attributes, resource_attributes and events.
const LIST_COLUMNS = `project_id, trace_id, span_id, parent_span_id, name, kind, service_name, service_version,
  environment, scope, toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
  toString(toUnixTimestamp64Nano(end_time)) AS end_ns, duration_ms, status, status_message, error_type, provider,
  operation, request_model, response_model, params, input_tokens, output_tokens, total_tokens, cache_read_tokens,
  cache_write_tokens, reasoning_tokens, tokens_estimated, cost_usd, input_cost_usd, output_cost_usd, cost_source,
  ttft_ms, tokens_per_second, finish_reasons, response_id, tool_name, tool_call_id, session_id, user_id,
  conversation_id, tags, metadata, convention, input_preview, output_preview, ${CONFIDENCE_COLUMNS}`;

/**
 * The newest `limit` spans matching `where`, newest first, with `columns`. Two phases: sort only
 * the keys, then read the columns of those rows alone (heavy columns are never sorted).
 */
export function newestSpans(
  driver: ClickhouseDriver,
  query: { columns: string; where: Predicate; limit: number; order?: SpanOrder },
): Promise<SpanRow[]> {
  const { columns, where, limit } = query;
  const order = orderSql(query.order ?? 'time');
  return driver.query<SpanRow>(
    `SELECT ${columns}
FROM spans
WHERE ${where.sql}
  AND (start_time, span_id) IN (
    SELECT start_time, span_id FROM spans
    WHERE ${where.sql}
    ORDER BY ${order}
    LIMIT {pageRows:UInt32})
ORDER BY ${order}
LIMIT {pageRows:UInt32}`,
    { ...where.params, pageRows: limit },
  );
}

/** Lists spans matching the filters (all of them apply to the span itself). */
export async function listSpans(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
  order: SpanOrder = 'time',
): Promise<Page<SpanSummary>> {
  const where = allOf(
    spanWhere(projectId, filters),
    order === 'perplexity'
      ? perplexityCondition(filters.cursor)
      : afterCursor('start_time', 'span_id', 'String', filters.cursor),
  );
  const rows = await newestSpans(driver, { columns: LIST_COLUMNS, where, limit: filters.limit + 1, order });
  // A duplicated row (a retry that slipped past dedupe) shares its sort key, so dropping it
  // here keeps paging exact: the cursor skips its twin.
  const page = rows.slice(0, filters.limit);
  const data = uniqueBy(page, (row) => `${row.trace_id}${row.span_id}`).map(toSummary);
  const last = page.at(-1);
  return rows.length > filters.limit && last
    ? {
        data,
        nextCursor: encodeCursor(cursorListOf(order), {
          timeNs: sortKey(last, order),
          id: String(last.span_id),
        }),
      }
    : { data };
}

/** The first half of a row's cursor: its start time, or its perplexity's bits. */
function sortKey(row: SpanRow, order: SpanOrder): string {
  return order === 'perplexity' ? perplexityBits(Number(row.perplexity)) : String(row.start_ns);
}

function toSummary(row: SpanRow): SpanSummary {
  const {
    input: _input,
    output: _output,
    systemInstructions: _system,
    toolDefinitions: _tools,
    retrievalDocuments: _documents,
    attributes: _attributes,
    resourceAttributes: _resource,
    events: _events,
    ...rest
  } = rowToSpan(row);
  return {
    ...rest,
    inputPreview: String(row.input_preview ?? ''),
    outputPreview: String(row.output_preview ?? ''),
  };
}
