/**
 * The query layer: typed filters → parameterized ClickHouse SQL, trace assembly, metric series
 * and entity lists. Every query is scoped by project first and bounded by a window and a LIMIT.
 */

export {
  GROUP_COLUMNS,
  type GroupBy,
  METRIC_NAMES,
  type MetricName,
  type MetricValues,
} from './aggregate.ts';
export { type Cursor, type CursorList, decodeCursor, encodeCursor } from './cursor.ts';
export {
  type ActivityTotals,
  getSession,
  listSessions,
  listUsers,
  type SessionDetail,
  type SessionSummary,
  type UserSummary,
} from './entities.ts';
export {
  DEFAULT_LIMIT,
  DEFAULT_MAX_WINDOW_MS,
  DEFAULT_WINDOW_MS,
  FILTER_PARAMS,
  MAX_LIMIT,
  MAX_Q_CHARS,
  type ParseFiltersOptions,
  parseSpanFilters,
  type SpanFilters,
  textTokens,
} from './filters.ts';
export { listModels, type ModelSummary } from './models.ts';
export { invalidParameter, rejectUnknown } from './params.ts';
export {
  MAX_GROUPS,
  MAX_POINTS,
  metricSeries,
  parseSeriesParams,
  type SeriesParams,
  type SeriesPoint,
  type SeriesResult,
  TARGET_POINTS,
} from './series.ts';
export { listSpans, type SpanSummary } from './spans.ts';
export { getTrace, MAX_TRACE_SPANS, parseTraceId, type Score, type TraceDetail } from './trace-detail.ts';
export { listTraces, type Page, type TraceSummary } from './traces.ts';
