/**
 * Component schemas of the OpenAPI document: the canonical Span, list items, details, series
 * and the error shape. Kept in step with `@argus/shared` (span.ts) and src/query by hand
 * (the route tests compare them with real responses).
 */
import { SPAN_KINDS } from '@argus/shared';
import { object, ref, type Schema } from '../http/openapi-helpers.ts';
import { METRIC_NAMES } from '../query/index.ts';

const str = (description?: string): Schema => ({ type: 'string', ...(description ? { description } : {}) });
const num = (description?: string): Schema => ({ type: 'number', ...(description ? { description } : {}) });
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const bool: Schema = { type: 'boolean' };
const time = (description = 'ISO 8601 time (UTC)'): Schema => ({
  type: 'string',
  format: 'date-time',
  description,
});
const strings: Schema = { type: 'array', items: { type: 'string' } };
const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const anyValue: Schema = { description: 'Any JSON value' };

/** Span fields list views leave out. */
const HEAVY = [
  'input',
  'output',
  'systemInstructions',
  'toolDefinitions',
  'retrievalDocuments',
  'attributes',
  'resourceAttributes',
  'events',
];

const SPAN_PROPERTIES: Record<string, Schema> = {
  projectId: str(),
  traceId: { type: 'string', pattern: '^[0-9a-f]{32}$' },
  spanId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
  parentSpanId: str('Empty for a root span'),
  name: str(),
  kind: { type: 'string', enum: [...SPAN_KINDS] },
  serviceName: str(),
  serviceVersion: str(),
  environment: str(),
  scope: str('Instrumentation scope name'),
  startTime: time('ISO 8601 with nanosecond digits'),
  endTime: time('ISO 8601 with nanosecond digits'),
  startTimeUnixNano: { type: 'string', pattern: '^\\d+$', description: 'Unix nanoseconds, exact' },
  endTimeUnixNano: { type: 'string', pattern: '^\\d+$' },
  durationMs: num(),
  status: { type: 'string', enum: ['ok', 'error', 'unset'] },
  statusMessage: str(),
  errorType: str(),
  provider: str(),
  operation: str(),
  requestModel: str(),
  responseModel: str(),
  params: {
    type: 'object',
    properties: {
      temperature: num(),
      topP: num(),
      topK: num(),
      maxTokens: int(),
      frequencyPenalty: num(),
      presencePenalty: num(),
      seed: int(),
      stopSequences: strings,
      stream: bool,
    },
  },
  inputTokens: int('Cached tokens included'),
  outputTokens: int(),
  totalTokens: int(),
  cacheReadTokens: int(),
  cacheWriteTokens: int(),
  reasoningTokens: int(),
  tokensEstimated: bool,
  costUsd: num(),
  inputCostUsd: num(),
  outputCostUsd: num(),
  costSource: { type: 'string', enum: ['reported', 'computed', 'none'] },
  ttftMs: num('Time to first token; absent when not streamed'),
  tokensPerSecond: num(),
  perplexity: num(
    'exp(−mean token logprob) over every output token; absent without logprobs (docs/behaviour.md)',
  ),
  logprobMean: num('Mean natural-log token probability'),
  logprobMin: num('Lowest natural-log token probability'),
  topEntropyMean: num('Mean entropy (nats) of the returned top alternatives, left-out mass as one outcome'),
  lowProbShare: num('Share of tokens with probability below 0.5'),
  logprobTokens: int('Tokens the confidence figures cover'),
  finishReasons: strings,
  responseId: str(),
  input: { ...anyValue, description: 'Messages [{role, parts}] for LLM spans, a plain value otherwise' },
  output: {
    ...anyValue,
    description: 'Messages [{role, parts, finishReason}] for LLM spans, a plain value otherwise',
  },
  systemInstructions: anyValue,
  toolDefinitions: anyValue,
  toolName: str(),
  toolCallId: str(),
  retrievalDocuments: {
    type: 'array',
    items: {
      type: 'object',
      properties: { id: str(), content: str(), score: num(), metadata: { type: 'object' } },
    },
  },
  sessionId: str(),
  userId: str(),
  conversationId: str(),
  tags: strings,
  metadata: stringMap,
  attributes: { type: 'object', description: 'Attributes not mapped to a field, raw' },
  resourceAttributes: { type: 'object' },
  events: {
    type: 'array',
    items: object({ name: str(), time: time(), timeUnixNano: str(), attributes: { type: 'object' } }),
  },
  convention: str(
    'Detected convention: otel_genai, openinference, openllmetry, openlit, vercel_ai, langfuse, langsmith, otel',
  ),
};

const SPAN_OPTIONAL = [
  'ttftMs',
  'tokensPerSecond',
  'perplexity',
  'logprobMean',
  'logprobMin',
  'topEntropyMean',
  'lowProbShare',
  'logprobTokens',
  'input',
  'output',
  'systemInstructions',
  'toolDefinitions',
  'retrievalDocuments',
];

const spanSummaryProperties = Object.fromEntries(
  Object.entries(SPAN_PROPERTIES).filter(([key]) => !HEAVY.includes(key)),
);

const TOTALS: Record<string, Schema> = {
  traceCount: int(),
  spanCount: int(),
  errorCount: int('Spans with status error (each failed attempt of a retried call counts)'),
  failedTraceCount: int('Traces with at least one span with status error'),
  inputTokens: int(),
  outputTokens: int(),
  totalTokens: int(),
  costUsd: num(),
  firstSeen: time('Start of the first trace in the window'),
  lastSeen: time('End of the last trace in the window'),
};

const metricValues = Object.fromEntries(METRIC_NAMES.map((name) => [name, num()]));

/** Every component schema. */
export const SCHEMAS: Record<string, Schema> = {
  Error: object({ error: object({ code: str('Stable error code, see docs/errors.md'), message: str() }) }),
  Span: object(SPAN_PROPERTIES, SPAN_OPTIONAL),
  SpanSummary: object(
    {
      ...spanSummaryProperties,
      inputPreview: str('At most 240 characters'),
      outputPreview: str('At most 240 characters'),
    },
    SPAN_OPTIONAL,
  ),
  TraceSummary: object({
    traceId: str(),
    rootName: str(),
    serviceName: str(),
    startTime: time(),
    durationMs: num(),
    spanCount: int(),
    errorCount: int(),
    llmCount: int(),
    inputTokens: int(),
    outputTokens: int(),
    totalTokens: int(),
    costUsd: num(),
    models: strings,
    userId: str(),
    sessionId: str(),
    status: { type: 'string', enum: ['ok', 'error'], description: 'error when any span failed' },
    inputPreview: str('First input preview of the trace'),
    outputPreview: str('Last output preview of the trace'),
  }),
  Score: object({
    scoreId: str(),
    traceId: str(),
    spanId: str('Empty for a trace-level score'),
    name: str(),
    value: num(),
    stringValue: str(),
    comment: str(),
    source: str(),
    author: str(),
    time: time(),
    metadata: stringMap,
  }),
  TraceDetail: object({
    traceId: str(),
    spans: { type: 'array', items: ref('Span'), description: 'In start-time order, at most 10,000' },
    scores: { type: 'array', items: ref('Score') },
    truncated: { type: 'boolean', description: 'True when the trace had more than 10,000 spans' },
  }),
  SessionSummary: object({ sessionId: str(), userIds: { ...strings, description: 'At most 10' }, ...TOTALS }),
  UserSummary: object({ userId: str(), sessionCount: int(), ...TOTALS }),
  SessionDetail: object(
    {
      session: ref('SessionSummary'),
      traces: { type: 'array', items: ref('TraceSummary'), description: 'Oldest first' },
      nextCursor: str(),
    },
    ['nextCursor'],
  ),
  ModelSummary: object({
    provider: str(),
    requestModel: str(),
    responseModel: str(),
    requests: int(),
    errors: int(),
    errorRate: num(),
    latencyP50: num(),
    latencyP95: num(),
    ttftP50: num(),
    inputTokens: int(),
    outputTokens: int(),
    costUsd: num(),
    firstSeen: time(),
    lastSeen: time(),
  }),
  MetricValues: {
    type: 'object',
    properties: metricValues,
    description: 'Only the requested metrics are present; 0 where there is no data',
  },
  SeriesPoint: { allOf: [object({ time: time('Bucket start') }), ref('MetricValues')] },
  SeriesResult: object({
    step: int('Bucket width, seconds'),
    from: time('Start of the first bucket'),
    to: time('End of the last bucket (exclusive)'),
    groupBy: {
      type: ['string', 'null'],
      enum: ['model', 'provider', 'service', 'environment', 'kind', null],
    },
    source: { type: 'string', enum: ['rollup', 'raw'], description: 'Which table answered' },
    series: {
      type: 'array',
      items: object({
        group: { ...stringMap, description: '{} without groupBy, else {<groupBy>: value}' },
        points: { type: 'array', items: ref('SeriesPoint') },
      }),
    },
    totals: ref('MetricValues'),
  }),
  Project: object({ id: str(), name: str(), createdAt: time() }),
  Health: object(
    {
      status: { type: 'string', enum: ['ok', 'unavailable'] },
      version: str(),
      startedAt: time(),
      uptimeSeconds: int(),
      storage: object(
        {
          mode: { type: 'string', enum: ['embedded', 'server'] },
          description: str(),
          driver: { type: 'string', enum: ['chdb', 'client'] },
          ok: bool,
          latencyMs: num('Time of SELECT 1'),
          full: { type: 'boolean', description: 'Present (true) while writes fail for want of disk space' },
          error: str(),
        },
        ['full', 'error'],
      ),
      writer: {
        type: 'object',
        description: 'Group-commit writer counters',
        additionalProperties: { type: 'number' },
      },
    },
    [],
  ),
};

/** A `{ data, nextCursor }` page of `item`. */
export function pageOf(item: string, paged = true): Schema {
  return object(
    {
      data: { type: 'array', items: ref(item) },
      ...(paged ? { nextCursor: str('Pass as `cursor` for the next page; absent on the last page') } : {}),
    },
    ['nextCursor'],
  );
}
