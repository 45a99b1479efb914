/**
 * Shapes of the Argus query API (docs/api.md), shared by the server's query layer and the
 * console so there is one definition of each.
 */
import type { Span } from './span.ts';

/** A page of a list; `nextCursor` is absent on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor?: string;
}

/** A trace in a list. */
export interface TraceSummary {
  traceId: string;
  rootName: string;
  serviceName: string;
  startTime: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  llmCount: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
  models: string[];
  userId: string;
  sessionId: string;
  status: 'ok' | 'error';
  inputPreview: string;
  outputPreview: string;
}

/** Heavy span fields left out of span lists. */
type HeavySpanField =
  | 'input'
  | 'output'
  | 'systemInstructions'
  | 'toolDefinitions'
  | 'retrievalDocuments'
  | 'attributes'
  | 'resourceAttributes'
  | 'events';

/** A span in a list. */
export type SpanSummary = Omit<Span, HeavySpanField> & { inputPreview: string; outputPreview: string };

/** A score attached to a trace or a span. */
export interface Score {
  scoreId: string;
  traceId: string;
  spanId: string;
  name: string;
  value: number;
  stringValue: string;
  comment: string;
  source: string;
  author: string;
  time: string;
  metadata: Record<string, string>;
}

/** A whole trace. */
export interface TraceDetail {
  traceId: string;
  spans: Span[];
  scores: Score[];
  truncated: boolean;
}

/** Metric names of `/api/v1/metrics/series`. */
export const METRIC_NAMES = [
  'requests',
  'errors',
  'errorRate',
  'latencyP50',
  'latencyP95',
  'latencyP99',
  'ttftP50',
  'ttftP95',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'tokensPerSecond',
] as const;

/** One metric name. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** Series groupBy dimensions. */
export type GroupBy = 'model' | 'provider' | 'service' | 'environment' | 'kind';

/** One bucket of a series. */
export type SeriesPoint = { time: string } & Partial<Record<MetricName, number>>;

/** The answer of `/api/v1/metrics/series`. */
export interface SeriesResult {
  step: number;
  from: string;
  to: string;
  groupBy: GroupBy | null;
  source: 'rollup' | 'raw';
  series: { group: Partial<Record<GroupBy, string>>; points: SeriesPoint[] }[];
  totals: Partial<Record<MetricName, number>>;
}

/** Totals shared by sessions and users. */
export interface ActivityTotals {
  traceCount: number;
  spanCount: number;
  /** Spans with status error (a retried call counts each failed attempt). */
  errorCount: number;
  /** Traces with at least one failed span: what "errors" means for a session or a user. */
  failedTraceCount: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
  /** ISO 8601 start of the first trace in the window. */
  firstSeen: string;
  /** ISO 8601 end of the last trace in the window. */
  lastSeen: string;
}

/** A session (conversation) in a list. */
export interface SessionSummary extends ActivityTotals {
  sessionId: string;
  /** Users seen in the session (at most 10). */
  userIds: string[];
}

/** A user in a list. */
export interface UserSummary extends ActivityTotals {
  userId: string;
  /** Distinct non-empty sessions of the user in the window. */
  sessionCount: number;
}

/** A session with its turns (traces), oldest first. */
export interface SessionDetail {
  session: SessionSummary;
  traces: TraceSummary[];
  nextCursor?: string;
}

/** A model version seen in the window. */
export interface ModelSummary {
  provider: string;
  requestModel: string;
  /** The version the provider answered with; empty when not reported. */
  responseModel: string;
  requests: number;
  errors: number;
  errorRate: number;
  latencyP50: number;
  latencyP95: number;
  ttftP50: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** ISO 8601; minute precision when answered from the rollup. */
  firstSeen: string;
  lastSeen: string;
}

/** A price. */
export interface ModelPrice {
  provider?: string;
  model: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
}

/** One row of the pricing catalog. */
export interface CatalogEntry extends ModelPrice {
  provider: string;
  aliases?: string[];
  checkedAt: string;
  source: string;
  note?: string;
}

/** The pricing catalog. */
export interface PricingCatalog {
  version: string;
  updatedAt: string;
  data: CatalogEntry[];
}

/** `/api/v1/health`. */
export interface Health {
  status: 'ok' | 'unavailable';
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  storage: {
    mode: string;
    description: string;
    driver: string;
    ok: boolean;
    latencyMs: number;
    /** True while writes fail for want of disk space (the console shows `error` in a banner). */
    full?: boolean;
    /** Why the store cannot work normally, in one sentence. */
    error?: string;
  };
}
