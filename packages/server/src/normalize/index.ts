/**
 * The normalizer: decoded OTLP requests → canonical spans, log rows and metric points. Pure (no
 * I/O), so every dialect rule is tested with plain inputs. See conventions.md §3 for the rules.
 */

export type { Convention } from './detect.ts';
export { normalizeLogRecord, normalizeLogs } from './logs.ts';
export { mergeSpanContent } from './merge.ts';
export { normalizeMetrics } from './metrics.ts';
export { normalizeSpan, type SpanInput } from './span.ts';
export { type NormalizeTracesResult, normalizeTraces } from './traces.ts';
export {
  DEFAULT_NORMALIZE_LIMITS,
  type LogRow,
  type MetricPointRow,
  type NormalizeContext,
  type NormalizeLimits,
  type SpanContent,
} from './types.ts';
