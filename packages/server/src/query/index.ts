/**
 * The query layer: typed filters → parameterized ClickHouse SQL, trace assembly, metric series
 * and entity lists. Every query is scoped by project first and bounded by a window and a LIMIT.
 */

export { type GroupBy, METRIC_NAMES, type MetricName } from '@argus/shared';
export { GROUP_COLUMNS, type MetricValues } from './aggregate.ts';
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
  maxWindowMsFor,
  type ParseFiltersOptions,
  parseSpanFilters,
  type SpanFilters,
  textTokens,
} from './filters.ts';
export { listMetricNames, type MetricNameSummary } from './metric-names.ts';
export {
  AGGREGATIONS,
  type Aggregation,
  MAX_ATTRIBUTE_FILTERS,
  MAX_GROUP_KEYS,
  MAX_METRIC_NAMES,
  type MetricNameParams,
  type MetricPointParams,
  parseMetricNameParams,
  parseMetricPointParams,
} from './metric-params.ts';
export { MAX_RAW_POINTS, type MetricPointsResult, queryMetricPoints } from './metric-points.ts';
export { MAX_METRIC_SERIES, type MetricSeries } from './metric-series.ts';
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
export {
  DEFAULT_EXPORT_LIMIT,
  EXPORT_BATCH_SPANS,
  type ExportOptions,
  exportSpans,
  MAX_EXPORT_LIMIT,
} from './span-export.ts';
export { cursorListOf, parseSpanOrder, SORT_PARAM, type SpanOrder } from './span-order.ts';
export { listSpans, type SpanSummary } from './spans.ts';
export { getTrace, MAX_TRACE_SPANS, parseTraceId, type Score, type TraceDetail } from './trace-detail.ts';
export { listTraces, type Page, type TraceSummary } from './traces.ts';
