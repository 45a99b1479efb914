/**
 * The trace list: root spans in the window, newest first, keyset-paged on (start_time,
 * trace_id); then one `trace_index` query for the page's totals and one `spans` query for its
 * previews. Full input/output columns are never read.
 */

import type { Page, TraceSummary } from '@argus/shared';
import type { ClickhouseDriver, QueryParams } from '../store/clickhouse/driver.ts';
import { nanosToIso } from '../store/rows.ts';
import { encodeCursor } from './cursor.ts';
import type { SpanFilters } from './filters.ts';
import {
  afterCursor,
  allOf,
  baseParams,
  FROM,
  matchingTraces,
  type Predicate,
  type SpanFilterKey,
  spanConditions,
  TO,
  TO_SLACK,
  TRACE_SLACK_MS,
} from './sql.ts';

export type { Page, TraceSummary };

// Filters a trace matches when one of its spans matches all of them. Duration is the root's,
// status and cost are trace-level (any error; total cost).
const SPAN_LEVEL: readonly SpanFilterKey[] = [
  'services',
  'environments',
  'models',
  'providers',
  'kinds',
  'userIds',
  'sessionIds',
  'tags',
  'text',
];

interface RootRow {
  trace_id: string;
  name: string;
  service_name: string;
  start_ns: string;
  duration_ms: number;
  input_preview: string;
  output_preview: string;
}

/**
 * Lists traces whose root span starts in the window and that match the filters.
 * @param options.order `desc` (newest first, default) or `asc` (a session's turns).
 */
export async function listTraces(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
  options: { order?: 'asc' | 'desc' } = {},
): Promise<Page<TraceSummary>> {
  const order = options.order ?? 'desc';
  if (order === 'desc') {
    // Newest first over a long window: try the most recent hour, then 6 h, then 24 h. A page that
    // fills with more rows left over is exactly the page the whole window would give (older
    // roots can only come after it), and common filters or search words fill it quickly.
    const cursorMs = filters.cursor ? Number(BigInt(filters.cursor.timeNs) / 1_000_000n) + 1 : filters.toMs;
    const upperMs = Math.min(filters.toMs, cursorMs);
    for (const spanMs of PROGRESSIVE_WINDOWS_MS) {
      const fromMs = upperMs - spanMs;
      if (fromMs <= filters.fromMs) break;
      const roots = await findRoots(driver, projectId, { ...filters, fromMs }, order);
      // Summaries are read only for the page that is answered.
      if (roots.length > filters.limit) return toPage(driver, projectId, filters, roots);
    }
  }
  return toPage(driver, projectId, filters, await findRoots(driver, projectId, filters, order));
}

/** Recent sub-windows {@link listTraces} tries before the whole window. */
const PROGRESSIVE_WINDOWS_MS = [3_600_000, 6 * 3_600_000, 24 * 3_600_000];

/** Up to `limit + 1` root rows matching the filters, in list order. */
async function findRoots(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
  order: 'asc' | 'desc',
): Promise<RootRow[]> {
  const where = allOf(
    {
      sql: `project_id = {projectId:String}\n  AND start_time BETWEEN ${FROM} AND ${TO}\n  AND parent_span_id = ''`,
      params: baseParams(projectId, filters),
    },
    spanConditions(filters, ['duration']),
    matchingTraces(projectId, filters, SPAN_LEVEL),
    traceStatus(filters),
    traceCost(filters),
    afterCursor('start_time', 'trace_id', 'String', filters.cursor, order),
  );
  const direction = order === 'desc' ? 'DESC' : 'ASC';
  return driver.query<RootRow>(
    `SELECT trace_id, name, service_name, toString(toUnixTimestamp64Nano(start_time)) AS start_ns, duration_ms,
  input_preview, output_preview
FROM spans
WHERE ${where.sql}
ORDER BY start_time ${direction}, trace_id ${direction}
LIMIT {limitPlusOne:UInt32}`,
    { ...where.params, limitPlusOne: filters.limit + 1 },
  );
}

/** The page of summaries for root rows, with the cursor of the next page when there is one. */
async function toPage(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
  roots: RootRow[],
): Promise<Page<TraceSummary>> {
  // A duplicated root row (a retry that slipped past dedupe) has the same sort key: drop it
  // here rather than with LIMIT BY, which costs the top-N sort.
  const page = uniqueBy(roots.slice(0, filters.limit), (row) => row.trace_id);
  const data = await summarize(driver, projectId, page);
  const last = page.at(-1);
  return roots.length > filters.limit && last
    ? { data, nextCursor: encodeCursor('traces', { timeNs: last.start_ns, id: last.trace_id }) }
    : { data };
}

/** Trace status: `error` = some span failed; `ok`/`unset` = none did. */
function traceStatus(filters: SpanFilters): Predicate {
  const wantsError = filters.statuses.includes('error');
  const wantsClean = filters.statuses.some((s) => s !== 'error');
  if (wantsError === wantsClean) return { sql: '', params: {} };
  const errorTraces = `SELECT trace_id FROM spans WHERE project_id = {projectId:String}
    AND start_time BETWEEN ${FROM} AND ${TO_SLACK} AND status = 'error'`;
  return { sql: `trace_id ${wantsError ? 'IN' : 'NOT IN'} (${errorTraces})`, params: {} };
}

/** Trace cost: the trace's total (usage-counted spans), from `trace_index`. */
function traceCost(filters: SpanFilters): Predicate {
  if (filters.minCostUsd === undefined) return { sql: '', params: {} };
  return {
    sql: `trace_id IN (SELECT trace_id FROM trace_index WHERE project_id = {projectId:String}
    AND start_time BETWEEN ${FROM} AND ${TO_SLACK}
    GROUP BY project_id, trace_id HAVING sum(cost_usd) >= {minCostUsd:Float64})`,
    params: { minCostUsd: filters.minCostUsd },
  };
}

interface IndexRow {
  trace_id: string;
  start_ns: string;
  end_ns: string;
  span_count: string;
  error_count: string;
  llm_count: string;
  input_tokens: string;
  output_tokens: string;
  total_tokens: string;
  cost_usd: number;
  models: string[];
  user_id: string;
  session_id: string;
}

interface PreviewRow {
  trace_id: string;
  input_preview: string;
  output_preview: string;
}

const PAGE_SKEW_NS = 3600n * 1_000_000_000n;
const PAGE_FROM = 'fromUnixTimestamp64Nano({pageFromNs:Int64})';
const PAGE_TO = 'fromUnixTimestamp64Nano({pageToNs:Int64})';

/** The `trace_index` columns merged per trace (partial rows are summed/unioned). */
export const TRACE_INDEX_MERGED = `trace_id,
  toString(toUnixTimestamp64Nano(min(start_time))) AS start_ns, toString(toUnixTimestamp64Nano(max(end_time))) AS end_ns,
  sum(span_count) AS span_count, sum(error_count) AS error_count, sum(llm_count) AS llm_count,
  sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(total_tokens) AS total_tokens,
  sum(cost_usd) AS cost_usd, groupUniqArrayArray(models) AS models, max(user_id) AS user_id,
  max(session_id) AS session_id`;

async function summarize(
  driver: ClickhouseDriver,
  projectId: string,
  roots: RootRow[],
): Promise<TraceSummary[]> {
  if (roots.length === 0) return [];
  // The page's own time span (children may start a little before their root through clock
  // skew, and run long after it) prunes far more than the request's window.
  const starts = roots.map((r) => BigInt(r.start_ns)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const minStart = starts[0]!;
  const maxStart = starts.at(-1)!;
  const params: QueryParams = {
    projectId,
    pageFromNs: (minStart - PAGE_SKEW_NS).toString(),
    pageToNs: (maxStart + BigInt(TRACE_SLACK_MS) * 1_000_000n).toString(),
    traceIds: roots.map((r) => r.trace_id),
    pageSize: roots.length,
  };
  const totals = await driver.query<IndexRow>(
    `SELECT ${TRACE_INDEX_MERGED}
FROM trace_index
WHERE project_id = {projectId:String} AND trace_id IN {traceIds:Array(String)}
  AND start_time BETWEEN ${PAGE_FROM} AND ${PAGE_TO}
GROUP BY project_id, trace_id
LIMIT {pageSize:UInt32}`,
    params,
  );
  // Each trace's exact span from the index bounds the preview read: a sparse page (a rare search
  // word over a week) then reads a few granules per trace instead of the whole week's previews.
  // A root with its own previews (an agent's question and answer) needs no lookup; roots without
  // (an HTTP server span) take the first input and last output among their trace's spans.
  const bare = roots.filter((r) => r.input_preview === '' && r.output_preview === '');
  const bareIds = new Set(bare.map((r) => r.trace_id));
  const indexed = totals.filter((row) => bareIds.has(row.trace_id));
  // Bound by ranges only when every bare trace has one, so none loses its previews.
  const ranges = indexed.length === bare.length ? indexed : [];
  const rangeSql = ranges
    .map(
      (_, i) =>
        `start_time BETWEEN fromUnixTimestamp64Nano({rs${i}:Int64}) AND fromUnixTimestamp64Nano({re${i}:Int64})`,
    )
    .join(' OR ');
  const rangeParams: QueryParams = {};
  ranges.forEach((row, i) => {
    rangeParams[`rs${i}`] = row.start_ns;
    rangeParams[`re${i}`] = row.end_ns;
  });
  const previews =
    bare.length === 0
      ? []
      : await driver.query<PreviewRow>(
          `SELECT trace_id,
  argMinIf(input_preview, start_time, input_preview != '') AS input_preview,
  argMaxIf(output_preview, end_time, output_preview != '') AS output_preview
FROM spans
WHERE project_id = {projectId:String} AND start_time BETWEEN ${PAGE_FROM} AND ${PAGE_TO}
  AND trace_id IN {traceIds:Array(String)}${rangeSql ? `\n  AND (${rangeSql})` : ''}
GROUP BY trace_id
LIMIT {pageSize:UInt32}`,
          { ...params, ...rangeParams, traceIds: bare.map((r) => r.trace_id), pageSize: bare.length },
        );
  const totalsById = new Map(totals.map((row) => [row.trace_id, row]));
  const previewsById = new Map(previews.map((row) => [row.trace_id, row]));
  return roots.map((root) => toSummary(root, totalsById.get(root.trace_id), previewsById.get(root.trace_id)));
}

function toSummary(
  root: RootRow,
  index: IndexRow | undefined,
  preview: PreviewRow | undefined,
): TraceSummary {
  const errorCount = Number(index?.error_count ?? 0);
  return {
    traceId: root.trace_id,
    rootName: root.name,
    serviceName: root.service_name,
    startTime: nanosToIso(root.start_ns),
    durationMs: index ? Math.max(root.duration_ms, spanMs(index.start_ns, index.end_ns)) : root.duration_ms,
    spanCount: Number(index?.span_count ?? 1),
    errorCount,
    llmCount: Number(index?.llm_count ?? 0),
    inputTokens: Number(index?.input_tokens ?? 0),
    outputTokens: Number(index?.output_tokens ?? 0),
    totalTokens: Number(index?.total_tokens ?? 0),
    costUsd: Number(index?.cost_usd ?? 0),
    models: [...(index?.models ?? [])].sort(),
    userId: index?.user_id ?? '',
    sessionId: index?.session_id ?? '',
    status: errorCount > 0 ? 'error' : 'ok',
    inputPreview: root.input_preview || preview?.input_preview || '',
    outputPreview: root.output_preview || preview?.output_preview || '',
  };
}

/** Milliseconds between two nanosecond timestamps. */
export function spanMs(startNs: string, endNs: string): number {
  return Number(BigInt(endNs) - BigInt(startNs)) / 1e6;
}

/** The first item of each key, in order. */
export function uniqueBy<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
