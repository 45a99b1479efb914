export type {
  ActivityTotals,
  CatalogEntry,
  GroupBy,
  Health,
  MetricName,
  ModelPrice,
  ModelSummary,
  Page,
  PricingCatalog,
  Score,
  SeriesPoint,
  SeriesResult,
  SessionDetail,
  SessionSummary,
  SpanSummary,
  TraceDetail,
  TraceSummary,
  UserSummary,
} from './api.ts';
export { METRIC_NAMES } from './api.ts';
export type {
  CostSource,
  Message,
  MessagePart,
  ModelParams,
  RetrievalDocument,
  Span,
  SpanEvent,
  SpanKind,
  SpanStatus,
} from './span.ts';
export { SPAN_KINDS } from './span.ts';
