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
