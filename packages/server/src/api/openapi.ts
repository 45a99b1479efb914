/**
 * The hand-written OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json. Parameter
 * names, defaults and limits come from the query layer's constants so they cannot drift.
 */
import { OUTPUT_HEALTH_FLAGS, SPAN_KINDS } from '@argus/shared';
import { ALERT_PATHS } from '../alerts/openapi.ts';
import { ANNOTATION_PATHS } from '../annotation/openapi.ts';
import { AUTH_PATHS } from '../auth/openapi.ts';
import { AUTH_SCHEMAS, DEFAULT_SECURITY, SECURITY_SCHEMES } from '../auth/openapi-schemas.ts';
import { DRIFT_PATHS } from '../behaviour/drift/openapi.ts';
import { EXPLAIN_PATHS } from '../behaviour/explain/openapi.ts';
import { GATEWAY_PATHS } from '../gateway/openapi.ts';
import { GOVERNANCE_PATHS } from '../governance/openapi.ts';
import {
  BAD_REQUEST,
  jsonAnswer as json,
  NOT_FOUND,
  paramRef,
  queryParam as query,
  type Schema,
  ref as schemaRef,
} from '../http/openapi-helpers.ts';
import { OTLP_PATHS } from '../ingest/openapi.ts';
import { LANGSMITH_PATHS } from '../langsmith/openapi.ts';
import { ONLINE_PATHS } from '../online/openapi.ts';
import { PRICING_PATHS } from '../pricing/openapi.ts';
import { EXPERIMENT_PATHS } from '../quality/experiments/openapi.ts';
import { QUALITY_PATHS } from '../quality/openapi.ts';
import { FILTER_PARAMS } from '../query/filters.ts';
import {
  DEFAULT_LIMIT,
  DEFAULT_MAX_WINDOW_MS,
  GROUP_COLUMNS,
  MAX_GROUPS,
  MAX_LIMIT,
  MAX_POINTS,
  MAX_Q_CHARS,
  METRIC_NAMES,
  TARGET_POINTS,
} from '../query/index.ts';
import { REDACTION_PATHS } from '../redact/openapi.ts';
import { SCORE_PATHS } from '../scores/openapi.ts';
import { EXPORT_PATHS } from './openapi-export.ts';
import { METRICS_PATHS } from './openapi-metrics.ts';
import { pageOf, SCHEMAS } from './openapi-schemas.ts';

const many = (
  name: string,
  description: string,
  items: Schema = { type: 'string', maxLength: 256 },
): Schema => ({
  ...query(name, `${description} Repeat to match any of several values.`, {
    type: 'array',
    items,
    maxItems: 100,
  }),
  style: 'form',
  explode: true,
});

/** Every query parameter, by name. */
export const PARAMETERS: Record<string, Schema> = {
  from: query(
    'from',
    `Window start, ISO 8601 (UTC when no zone) or epoch milliseconds. Default: to − 24 h. The window may span at most ${DEFAULT_MAX_WINDOW_MS / 86_400_000} days or the retention period, whichever is longer.`,
    { type: 'string', examples: ['2025-01-15T00:00:00Z', '1736899200000'] },
  ),
  to: query('to', 'Window end (inclusive), ISO 8601 or epoch milliseconds. Default: now.', {
    type: 'string',
  }),
  service: many('service', 'Service name (`service.name`).'),
  environment: many('environment', 'Deployment environment.'),
  model: many('model', 'Request model or response model.'),
  provider: many('provider', 'Provider (`gen_ai.provider.name`).'),
  kind: many('kind', 'Span kind.', { type: 'string', enum: [...SPAN_KINDS] }),
  status: many('status', 'Span status. For traces: `error` = some span failed, `ok`/`unset` = none did.', {
    type: 'string',
    enum: ['ok', 'error', 'unset'],
  }),
  userId: many('userId', 'User id.'),
  sessionId: many('sessionId', 'Session id.'),
  tag: many('tag', 'Tag (a span matches when it has any of the given tags).'),
  outputFlag: many(
    'outputFlag',
    'Output-health flag: spans the built-in checks flagged with any of the given flags.',
    {
      type: 'string',
      enum: [...OUTPUT_HEALTH_FLAGS],
    },
  ),
  minDurationMs: query('minDurationMs', 'Least duration in ms (for traces: of the root span).', {
    type: 'number',
    minimum: 0,
  }),
  maxDurationMs: query('maxDurationMs', 'Greatest duration in ms (for traces: of the root span).', {
    type: 'number',
    minimum: 0,
  }),
  minCostUsd: query('minCostUsd', 'Least cost in USD (for traces, sessions, users: of the whole trace).', {
    type: 'number',
    minimum: 0,
  }),
  minPerplexity: query(
    'minPerplexity',
    'Least perplexity (exp of the negative mean token logprob); spans without logprobs never match.',
    { type: 'number', minimum: 0 },
  ),
  maxPerplexity: query('maxPerplexity', 'Greatest perplexity; spans without logprobs never match.', {
    type: 'number',
    minimum: 0,
  }),
  sort: query(
    'sort',
    '`time` (newest first) or `perplexity` (highest perplexity first: the least confident answers; spans without logprobs are left out). A cursor belongs to the order it came from.',
    { type: 'string', enum: ['time', 'perplexity'], default: 'time' },
  ),
  q: query(
    'q',
    'Full-text search over prompts, completions and GenAI content logged for a span. Words are matched whole and case-insensitively (ASCII); all words must occur in one field.',
    { type: 'string', maxLength: MAX_Q_CHARS },
  ),
  limit: query('limit', 'Page size.', {
    type: 'integer',
    minimum: 1,
    maximum: MAX_LIMIT,
    default: DEFAULT_LIMIT,
  }),
  cursor: query('cursor', 'The `nextCursor` of the previous page of the same list (opaque).', {
    type: 'string',
  }),
  metrics: query('metrics', 'Comma-separated metrics to return. Default: all.', {
    type: 'string',
    examples: ['requests,errorRate,latencyP95'],
    description: METRIC_NAMES.join(', '),
  }),
  groupBy: query('groupBy', `One series per value of this dimension (the ${MAX_GROUPS} busiest).`, {
    type: 'string',
    enum: Object.keys(GROUP_COLUMNS),
  }),
  step: query(
    'step',
    `Bucket width: 30s, 5m, 1h, 1d or whole seconds. Default: the smallest of 1m, 5m, 15m, 30m, 1h, 3h, 6h, 12h, 1d, 7d giving at most ${TARGET_POINTS} buckets; more than ${MAX_POINTS} buckets is refused.`,
    { type: 'string', pattern: '^\\d+[smhd]?$' },
  ),
};

const FILTERS = [...FILTER_PARAMS];
const refs = (names: string[]) => names.map(paramRef);
const ERRORS: Record<number, Schema> = { 400: BAD_REQUEST, 404: NOT_FOUND };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [String(code), ERRORS[code]]));

function get(
  summary: string,
  description: string,
  parameters: Schema[],
  ok: Schema,
  errorCodes = [400],
): Schema {
  return {
    get: { summary, description, parameters, responses: { '200': json(ok), ...errors(...errorCodes) } },
  };
}

const PATHS: Record<string, Schema> = {
  '/api/v1/traces': get(
    'List traces',
    'Traces whose root span starts in the window, newest first. Span filters keep traces with a span matching all of them.',
    refs([...FILTERS, 'limit', 'cursor']),
    pageOf('TraceSummary'),
  ),
  '/api/v1/traces/{traceId}': get(
    'Get a trace',
    'Every span of the trace in start order (GenAI content logged as log records merged in), and its scores.',
    [
      {
        name: 'traceId',
        in: 'path',
        required: true,
        schema: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' },
      },
    ],
    schemaRef('TraceDetail'),
    [400, 404],
  ),
  '/api/v1/spans': get(
    'List spans',
    'Spans matching every filter, newest first (or least confident first with `sort=perplexity`), without input/output/attributes/events.',
    refs([...FILTERS, 'sort', 'limit', 'cursor']),
    pageOf('SpanSummary'),
  ),
  '/api/v1/metrics/series': get(
    'Metric time series',
    'Request metrics in epoch-aligned buckets, empty buckets as zeros, plus totals. Without `kind`, only llm spans count. Latency and TTFT in ms; tokensPerSecond = output tokens / generation seconds of spans reporting a rate. With `score=<name>` it answers that score\'s series instead: `{ score, step, from, to, groupBy, series: [{ group, points: [{ time, mean, count }] }], totals }`, parameters `score`, `from`, `to`, `step`, `groupBy` (model, modelVersion, promptVersion, service, source) and the repeatable `source`, `model`, `service` (docs/evaluation.md, "Quality over time").',
    refs([...FILTERS, 'metrics', 'groupBy', 'step']),
    schemaRef('SeriesResult'),
  ),
  '/api/v1/sessions': get(
    'List sessions',
    'Sessions with a trace rooted in the window, most recently active first.',
    refs([...FILTERS, 'limit', 'cursor']),
    pageOf('SessionSummary'),
  ),
  '/api/v1/sessions/{sessionId}': get(
    'Get a session',
    'A session’s totals and its traces (turns) oldest first, with previews; `cursor` pages the traces.',
    [
      {
        name: 'sessionId',
        in: 'path',
        required: true,
        schema: { type: 'string', minLength: 1, maxLength: 256 },
      },
      ...refs(['from', 'to', 'limit', 'cursor']),
    ],
    schemaRef('SessionDetail'),
    [400, 404],
  ),
  '/api/v1/users': get(
    'List users',
    'Users with a trace rooted in the window, most recently active first.',
    refs([...FILTERS, 'limit', 'cursor']),
    pageOf('UserSummary'),
  ),
  '/api/v1/models': get(
    'List model versions',
    'One row per provider, request model and response model, busiest first (window widened to whole minutes; no cursor).',
    refs([...FILTERS, 'limit']),
    pageOf('ModelSummary', false),
  ),
  '/api/v1/health': get(
    'Health',
    'Liveness and store check; 503 when the store does not answer.',
    [],
    schemaRef('Health'),
  ),
  '/health': get('Health (alias)', 'Same as /api/v1/health.', [], schemaRef('Health')),
  '/api/v1/openapi.json': get('This document', 'The OpenAPI 3.1 description of the API.', [], {
    type: 'object',
  }),
};

/** Routes served beside the query API: OTLP receivers, pricing and scores. */
export const INGEST_AND_PRICING_PATHS: Record<string, Schema> = {
  ...SCORE_PATHS,
  ...OTLP_PATHS,
  ...PRICING_PATHS,
};

/** Builds the OpenAPI 3.1 document. */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Argus API',
      version,
      description:
        'Query API of Argus, self-hosted LLM observability. Every list answers `{ data, nextCursor }`; errors answer `{ error: { code, message } }`. Unknown query parameters are rejected with 400 INVALID_PARAMETER. With authentication on, send an API key (it selects its project) or the console session cookie; `x-argus-project` (or `?project=`) picks the project of a session.',
    },
    security: DEFAULT_SECURITY,
    paths: {
      ...PATHS,
      ...INGEST_AND_PRICING_PATHS,
      ...METRICS_PATHS,
      ...ALERT_PATHS,
      ...LANGSMITH_PATHS,
      ...GOVERNANCE_PATHS,
      ...REDACTION_PATHS,
      ...AUTH_PATHS,
      ...EXPORT_PATHS,
      ...QUALITY_PATHS,
      ...EXPERIMENT_PATHS,
      ...ANNOTATION_PATHS,
      ...ONLINE_PATHS,
      ...DRIFT_PATHS,
      ...EXPLAIN_PATHS,
      ...GATEWAY_PATHS,
    },
    components: {
      parameters: PARAMETERS,
      schemas: { ...SCHEMAS, ...AUTH_SCHEMAS },
      securitySchemes: SECURITY_SCHEMES,
      responses: {
        BadRequest: json(
          schemaRef('Error'),
          'INVALID_PARAMETER: a parameter is invalid or unknown (the message names it)',
        ),
        NotFound: json(schemaRef('Error'), 'NOT_FOUND'),
      },
    },
  };
}
