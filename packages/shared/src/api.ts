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

/** Fields of a span that list views do not read (large or free-form). */
export type HeavySpanField =
  | 'input'
  | 'output'
  | 'systemInstructions'
  | 'toolDefinitions'
  | 'retrievalDocuments'
  | 'attributes'
  | 'resourceAttributes'
  | 'events';

/** A span in a list: the canonical span without its heavy fields, with short text previews. */
export type SpanSummary = Omit<Span, HeavySpanField> & {
  /** The last user message (or the input value), at most 240 characters. */
  inputPreview: string;
  /** The first output message (or the output value), at most 240 characters. */
  outputPreview: string;
};

/** A score attached to a trace or a span. */
export interface Score {
  scoreId: string;
  traceId: string;
  /** Empty for a trace-level score. */
  spanId: string;
  name: string;
  value: number;
  /** For categorical scores ('thumbs_up', 'correct' …); empty otherwise. */
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
  'outputErrors',
  'outputErrorRate',
  'perplexityMean',
  'perplexityP95',
  'lowProbShare',
  'logprobRequests',
] as const;

/**
 * Metrics read from the output-health checks (online evaluation), not from the spans: LLM spans
 * flagged, and flagged over checked. Served only when asked for by name in `metrics`.
 */
export const OUTPUT_HEALTH_METRICS = ['outputErrors', 'outputErrorRate'] as const;

/**
 * Confidence metrics of spans with token logprobs (docs/behaviour.md): mean and p95 perplexity,
 * mean share of low-probability tokens, and how many spans had logprobs. Read from raw spans,
 * so served only when asked for by name in `metrics`.
 */
export const CONFIDENCE_METRICS = [
  'perplexityMean',
  'perplexityP95',
  'lowProbShare',
  'logprobRequests',
] as const;

/** One metric name. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** Series groupBy dimensions. */
export type GroupBy = 'model' | 'provider' | 'service' | 'environment' | 'kind';

/** One bucket of a series: its start and the requested metrics. */
export type SeriesPoint = { time: string } & Partial<Record<MetricName, number>>;

/** The answer of `/api/v1/metrics/series`. */
export interface SeriesResult {
  /** Bucket width in seconds. */
  step: number;
  /** Start of the first bucket (ISO 8601). */
  from: string;
  /** End of the last bucket, exclusive (ISO 8601). */
  to: string;
  groupBy: GroupBy | null;
  /** `rollup` (spans_1m) or `raw` (spans): which table answered. */
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

/**
 * Prices of one model, USD per 1M tokens; absent cache prices bill those tokens as input. As a
 * per-project override (`/api/v1/pricing/overrides`) `model` may also be a prefix ending in `*`,
 * and `provider` restricts the override to spans of that provider.
 */
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
  /** Other ids of the same model: dated snapshots, `-latest` names, route-qualified ids. */
  aliases?: readonly string[];
  /** ISO date (YYYY-MM-DD) the price was last compared with `source`. */
  checkedAt: string;
  /** The provider's pricing page. */
  source: string;
  /** Tiers, deprecation or anything a reader of a computed cost should know. */
  note?: string;
}

/** The pricing catalog (`GET /api/v1/pricing`). */
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
