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
  ConnectionTestResult,
  Dataset,
  DatasetItem,
  EvaluationResult,
  Evaluator,
  EvaluatorTestResult,
  EvaluatorType,
  ImportResult,
  ImportRowError,
  ItemsWriteResult,
  JudgeTemplate,
  LlmConnection,
  LlmProvider,
} from './quality.ts';
export { EVALUATOR_TYPES, JUDGE_TEMPLATES, LLM_PROVIDERS } from './quality.ts';
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
