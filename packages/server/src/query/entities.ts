/**
 * Sessions and users: traces whose root starts in the window, merged from `trace_index`
 * and grouped by session or user, most recently active first, keyset-paged on (lastSeen, id).
 * Span-level filters keep the traces having a span that matches all of them.
 */

import type { ActivityTotals, SessionDetail, SessionSummary, UserSummary } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { nanosToIso } from '../store/rows.ts';
import { type CursorList, encodeCursor } from './cursor.ts';
import type { SpanFilters } from './filters.ts';
import {
  ALL_SPAN_FILTERS,
  afterCursor,
  allOf,
  baseParams,
  FROM,
  matchingTraces,
  TO,
  TO_SLACK,
} from './sql.ts';
import { listTraces, type Page } from './traces.ts';

export type { ActivityTotals, SessionDetail, SessionSummary, UserSummary };

interface EntityRow {
  entity_id: string;
  first_ns: string;
  last_ns: string;
  trace_count: string;
  span_count: string;
  error_count: string;
  failed_trace_count: string;
  input_tokens: string;
  output_tokens: string;
  total_tokens: string;
  cost_usd: number;
  user_ids: string[];
  session_count: string;
}

const KEY = { sessions: 't_session', users: 't_user' } as const;

async function aggregateEntities(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
  list: Extract<CursorList, 'sessions' | 'users'>,
): Promise<{ rows: EntityRow[]; nextCursor?: string }> {
  const inner = allOf(
    {
      sql: `project_id = {projectId:String} AND start_time BETWEEN ${FROM} AND ${TO_SLACK}`,
      params: baseParams(projectId, filters),
    },
    matchingTraces(projectId, filters, ALL_SPAN_FILTERS),
  );
  const having = afterCursor('max(t_end)', 'entity_id', 'String', filters.cursor);
  const rows = await driver.query<EntityRow>(
    `SELECT ${KEY[list]} AS entity_id,
  toString(toUnixTimestamp64Nano(min(t_start))) AS first_ns, toString(toUnixTimestamp64Nano(max(t_end))) AS last_ns,
  count() AS trace_count, sum(t_spans) AS span_count, sum(t_errors) AS error_count,
  countIf(t_errors > 0) AS failed_trace_count,
  sum(t_input) AS input_tokens, sum(t_output) AS output_tokens, sum(t_total) AS total_tokens, sum(t_cost) AS cost_usd,
  groupUniqArrayIf(10)(t_user, t_user != '') AS user_ids, uniqExactIf(t_session, t_session != '') AS session_count
FROM (
  SELECT trace_id, min(start_time) AS t_start, max(end_time) AS t_end, sum(span_count) AS t_spans,
    sum(error_count) AS t_errors, sum(input_tokens) AS t_input, sum(output_tokens) AS t_output,
    sum(total_tokens) AS t_total, sum(cost_usd) AS t_cost, max(user_id) AS t_user, max(session_id) AS t_session
  FROM trace_index
  WHERE ${inner.sql}
  GROUP BY project_id, trace_id
)
WHERE t_start BETWEEN ${FROM} AND ${TO} AND ${KEY[list]} != ''
GROUP BY entity_id
${having.sql ? `HAVING ${having.sql}` : ''}
ORDER BY max(t_end) DESC, entity_id DESC
LIMIT {limitPlusOne:UInt32}`,
    { ...inner.params, ...having.params, limitPlusOne: filters.limit + 1 },
  );
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return rows.length > filters.limit && last
    ? { rows: page, nextCursor: encodeCursor(list, { timeNs: last.last_ns, id: last.entity_id }) }
    : { rows: page };
}

function totals(row: EntityRow): ActivityTotals {
  return {
    traceCount: Number(row.trace_count),
    spanCount: Number(row.span_count),
    errorCount: Number(row.error_count),
    failedTraceCount: Number(row.failed_trace_count),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    costUsd: Number(row.cost_usd),
    firstSeen: nanosToIso(row.first_ns),
    lastSeen: nanosToIso(row.last_ns),
  };
}

const toSession = (row: EntityRow): SessionSummary => ({
  sessionId: row.entity_id,
  userIds: [...row.user_ids].sort(),
  ...totals(row),
});

/** Lists sessions active in the window, most recently active first. */
export async function listSessions(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
): Promise<Page<SessionSummary>> {
  const { rows, nextCursor } = await aggregateEntities(driver, projectId, filters, 'sessions');
  return nextCursor ? { data: rows.map(toSession), nextCursor } : { data: rows.map(toSession) };
}

/** Lists users active in the window, most recently active first. */
export async function listUsers(
  driver: ClickhouseDriver,
  projectId: string,
  filters: SpanFilters,
): Promise<Page<UserSummary>> {
  const { rows, nextCursor } = await aggregateEntities(driver, projectId, filters, 'users');
  const data = rows.map((row) => ({
    userId: row.entity_id,
    sessionCount: Number(row.session_count),
    ...totals(row),
  }));
  return nextCursor ? { data, nextCursor } : { data };
}

/**
 * One session: its totals over the window and its traces, oldest first (`cursor` pages the traces).
 * @throws ArgusError NOT_FOUND when the session has no trace in the window.
 */
export async function getSession(
  driver: ClickhouseDriver,
  projectId: string,
  sessionId: string,
  filters: SpanFilters,
): Promise<SessionDetail> {
  const scoped: SpanFilters = { ...filters, sessionIds: [sessionId] };
  const [summary, traces] = await Promise.all([
    aggregateEntities(driver, projectId, { ...scoped, cursor: undefined, limit: 1 }, 'sessions'),
    listTraces(driver, projectId, scoped, { order: 'asc' }),
  ]);
  const row = summary.rows[0];
  if (!row) {
    const window = `${new Date(filters.fromMs).toISOString()} to ${new Date(filters.toMs).toISOString()}`;
    throw new ArgusError(
      'NOT_FOUND',
      `Session '${sessionId}' has no traces in project '${projectId}' from ${window}`,
    );
  }
  return {
    session: toSession(row),
    traces: traces.data,
    ...(traces.nextCursor ? { nextCursor: traces.nextCursor } : {}),
  };
}
