/**
 * Canonical objects → TSV lines for the ClickHouse tables, and rows → canonical
 * objects on the way back. The only place that knows both the JSON field names and the column
 * names.
 */

import type { Span, SpanEvent } from '@argus/shared';
import { isJsSpace } from '../normalize/js-space.ts';
import {
  tsvJsonText,
  tsvMap,
  tsvNullableNumber,
  tsvNumber,
  tsvString,
  tsvStringArray,
  tsvTime,
} from './tsv.ts';

const PREVIEW_CHARS = 240;

/** True when a span's tokens and cost count towards trace totals and rollups. */
export function countsUsage(span: Span): boolean {
  if (span.kind !== 'llm' && span.kind !== 'embedding') return false;
  // Tolerant of a span without attributes: the metrics' projection of a span must not throw.
  return span.attributes?.['argus.usage_scope'] !== 'aggregate';
}

/** A JSON column's TSV field: '' for absent, the JSON text otherwise. */
function jsonField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const json = JSON.stringify(value);
  return json === undefined ? '' : tsvJsonText(json);
}

// The spans of one resource share one frozen `resourceAttributes` object (normalize's
// sharedResource): its field is built once, for the first span, not for every span.
let lastResource: object | undefined;
let lastResourceField = '';

/** The `resource_attributes` field; the last frozen object's text is reused (it cannot have changed). */
function resourceField(attributes: Record<string, unknown>): string {
  if (attributes === lastResource) return lastResourceField;
  const field = tsvJsonText(JSON.stringify(attributes));
  if (Object.isFrozen(attributes)) {
    lastResource = attributes;
    lastResourceField = field;
  }
  return field;
}

/** The text of a message's parts, for its preview. */
function partsText(parts: readonly { type: string; content?: unknown; name?: string }[]): string {
  // One text part (most messages): its content, without the intermediate arrays.
  if (parts.length === 1 && typeof parts[0]!.content === 'string') return parts[0]!.content;
  return parts
    .map((p) =>
      typeof p.content === 'string' ? p.content : p.type === 'tool_call' ? `[tool call ${p.name ?? ''}]` : '',
    )
    .filter(Boolean)
    .join(' ');
}

/**
 * True when collapsing whitespace runs to one space would change the text: two whitespace
 * characters in a row, or one that is not a plain space. Most previews are prose with single
 * spaces, which `replace(/\s+/g, ' ')` would copy unchanged.
 */
const COLLAPSIBLE = /\s\s|[^\S ]/;

/** A short plain-text preview of messages or a plain value, for list views. */
export function previewOf(value: unknown, pick: 'last-user' | 'first'): string {
  if (value === undefined || value === null || value === '') return '';
  let text = '';
  if (Array.isArray(value) && value.length > 0 && isMessage(value[0])) {
    const messages = value as { role: string; parts: { type: string; content?: unknown; name?: string }[] }[];
    const chosen =
      pick === 'last-user' ? (messages.findLast((m) => m.role === 'user') ?? messages.at(-1)) : messages[0];
    text = partsText(chosen?.parts ?? []);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    text = JSON.stringify(value);
  }
  if (isPlainLongText(text)) return `${text.slice(0, PREVIEW_CHARS - 1)}…`;
  // Cut before collapsing whitespace: the text may be megabytes, the preview is 240 chars.
  text = text.slice(0, PREVIEW_CHARS * 4);
  if (COLLAPSIBLE.test(text)) text = text.replace(/\s+/g, ' ');
  text = text.trim();
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

/**
 * True when the preview of `text` is its first 239 characters and the ellipsis, whatever
 * follows them: it starts with a non-space, has a non-space at index 240 (so more than 240
 * characters survive collapsing and trimming) and no collapsible whitespace before that — so
 * collapsing and trimming change nothing in its first 241 characters. Only those are scanned.
 */
function isPlainLongText(text: string): boolean {
  return (
    text.length > PREVIEW_CHARS + 1 &&
    !isJsSpace(text.charCodeAt(0)) &&
    !isJsSpace(text.charCodeAt(PREVIEW_CHARS)) &&
    !COLLAPSIBLE.test(text.slice(0, PREVIEW_CHARS + 1))
  );
}

function isMessage(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    'role' in value &&
    Array.isArray((value as { parts?: unknown }).parts)
  );
}

/** Column order of the TSV lines {@link spanToRow} writes. */
export const SPAN_INSERT_COLUMNS: readonly string[] = [
  'project_id',
  'trace_id',
  'span_id',
  'parent_span_id',
  'name',
  'kind',
  'service_name',
  'service_version',
  'environment',
  'scope',
  'start_time',
  'end_time',
  'duration_ms',
  'status',
  'status_message',
  'error_type',
  'provider',
  'operation',
  'request_model',
  'response_model',
  'params',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'tokens_estimated',
  'usage_counted',
  'cost_usd',
  'input_cost_usd',
  'output_cost_usd',
  'cost_source',
  'ttft_ms',
  'tokens_per_second',
  'finish_reasons',
  'response_id',
  'input',
  'output',
  'input_preview',
  'output_preview',
  'system_instructions',
  'tool_definitions',
  'tool_name',
  'tool_call_id',
  'retrieval_documents',
  'session_id',
  'user_id',
  'conversation_id',
  'tags',
  'metadata',
  'attributes',
  'resource_attributes',
  'events',
  'convention',
  'perplexity',
  'logprob_mean',
  'logprob_min',
  'top_entropy_mean',
  'low_prob_share',
  'logprob_tokens',
];

/** Serializes one span as a TSV line for the `spans` table ({@link SPAN_INSERT_COLUMNS} order). */
export function spanToRow(s: Span): string {
  return [
    tsvString(s.projectId),
    tsvString(s.traceId),
    tsvString(s.spanId),
    tsvString(s.parentSpanId),
    tsvString(s.name),
    tsvString(s.kind),
    tsvString(s.serviceName),
    tsvString(s.serviceVersion),
    tsvString(s.environment),
    tsvString(s.scope),
    tsvTime(s.startTimeUnixNano),
    tsvTime(s.endTimeUnixNano),
    tsvNumber(s.durationMs),
    s.status,
    tsvString(s.statusMessage),
    tsvString(s.errorType),
    tsvString(s.provider),
    tsvString(s.operation),
    tsvString(s.requestModel),
    tsvString(s.responseModel),
    jsonField(s.params),
    tsvNumber(s.inputTokens),
    tsvNumber(s.outputTokens),
    tsvNumber(s.totalTokens),
    tsvNumber(s.cacheReadTokens),
    tsvNumber(s.cacheWriteTokens),
    tsvNumber(s.reasoningTokens),
    s.tokensEstimated ? 'true' : 'false',
    countsUsage(s) ? 'true' : 'false',
    tsvNumber(s.costUsd),
    tsvNumber(s.inputCostUsd),
    tsvNumber(s.outputCostUsd),
    s.costSource,
    tsvNullableNumber(s.ttftMs),
    tsvNullableNumber(s.tokensPerSecond),
    tsvStringArray(s.finishReasons),
    tsvString(s.responseId),
    jsonField(s.input),
    jsonField(s.output),
    tsvString(previewOf(s.input, 'last-user')),
    tsvString(previewOf(s.output, 'first')),
    jsonField(s.systemInstructions),
    jsonField(s.toolDefinitions),
    tsvString(s.toolName),
    tsvString(s.toolCallId),
    jsonField(s.retrievalDocuments),
    tsvString(s.sessionId),
    tsvString(s.userId),
    tsvString(s.conversationId),
    tsvStringArray(s.tags),
    tsvMap(s.metadata),
    tsvJsonText(JSON.stringify(s.attributes)),
    resourceField(s.resourceAttributes),
    tsvJsonText(JSON.stringify(s.events)),
    tsvString(s.convention),
    tsvNullableNumber(s.perplexity),
    tsvNullableNumber(s.logprobMean),
    tsvNullableNumber(s.logprobMin),
    tsvNullableNumber(s.topEntropyMean),
    tsvNullableNumber(s.lowProbShare),
    tsvNumber(s.logprobTokens ?? 0),
  ].join('\t');
}

/** The confidence columns (migration 9), read by full and list span reads. */
export const CONFIDENCE_COLUMNS =
  'perplexity, logprob_mean, logprob_min, top_entropy_mean, low_prob_share, logprob_tokens';

/** The columns a full span read selects (times as exact nanosecond strings). */
export const SPAN_COLUMNS = `project_id, trace_id, span_id, parent_span_id, name, kind, service_name, service_version,
  environment, scope, toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
  toString(toUnixTimestamp64Nano(end_time)) AS end_ns, duration_ms, status, status_message, error_type, provider,
  operation, request_model, response_model, params, input_tokens, output_tokens, total_tokens, cache_read_tokens,
  cache_write_tokens, reasoning_tokens, tokens_estimated, cost_usd, input_cost_usd, output_cost_usd, cost_source,
  ttft_ms, tokens_per_second, finish_reasons, response_id, input, output, system_instructions, tool_definitions,
  tool_name, tool_call_id, retrieval_documents, session_id, user_id, conversation_id, tags, metadata, attributes,
  resource_attributes, events, convention, ${CONFIDENCE_COLUMNS}`;

/** A row of {@link SPAN_COLUMNS}. */
export type SpanRow = Record<string, unknown>;

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Unix nanoseconds (decimal string) → ISO 8601 with all nine fraction digits. */
export function nanosToIso(ns: string): string {
  const big = BigInt(ns || '0');
  const seconds = big / 1_000_000_000n;
  const fraction = (big % 1_000_000_000n).toString().padStart(9, '0');
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${base}.${fraction}Z`;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const optionalNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : num(v));

/** A `spans` row → the canonical span. */
export function rowToSpan(r: SpanRow): Span {
  const startNs = String(r.start_ns);
  const endNs = String(r.end_ns);
  const span: Span = {
    projectId: String(r.project_id),
    traceId: String(r.trace_id),
    spanId: String(r.span_id),
    parentSpanId: String(r.parent_span_id),
    name: String(r.name),
    kind: String(r.kind) as Span['kind'],
    serviceName: String(r.service_name),
    serviceVersion: String(r.service_version),
    environment: String(r.environment),
    scope: String(r.scope),
    startTime: nanosToIso(startNs),
    endTime: nanosToIso(endNs),
    startTimeUnixNano: startNs,
    endTimeUnixNano: endNs,
    durationMs: num(r.duration_ms),
    status: String(r.status) as Span['status'],
    statusMessage: String(r.status_message),
    errorType: String(r.error_type),
    provider: String(r.provider),
    operation: String(r.operation),
    requestModel: String(r.request_model),
    responseModel: String(r.response_model),
    params: (parseJson(r.params) as Span['params']) ?? {},
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    totalTokens: num(r.total_tokens),
    cacheReadTokens: num(r.cache_read_tokens),
    cacheWriteTokens: num(r.cache_write_tokens),
    reasoningTokens: num(r.reasoning_tokens),
    tokensEstimated: Boolean(r.tokens_estimated),
    costUsd: num(r.cost_usd),
    inputCostUsd: num(r.input_cost_usd),
    outputCostUsd: num(r.output_cost_usd),
    costSource: String(r.cost_source) as Span['costSource'],
    ttftMs: optionalNum(r.ttft_ms),
    tokensPerSecond: optionalNum(r.tokens_per_second),
    finishReasons: (r.finish_reasons as string[]) ?? [],
    responseId: String(r.response_id),
    input: parseJson(r.input),
    output: parseJson(r.output),
    systemInstructions: parseJson(r.system_instructions),
    toolDefinitions: parseJson(r.tool_definitions),
    toolName: String(r.tool_name),
    toolCallId: String(r.tool_call_id),
    retrievalDocuments: parseJson(r.retrieval_documents) as Span['retrievalDocuments'],
    sessionId: String(r.session_id),
    userId: String(r.user_id),
    conversationId: String(r.conversation_id),
    tags: (r.tags as string[]) ?? [],
    metadata: (r.metadata as Record<string, string>) ?? {},
    attributes: (parseJson(r.attributes) as Record<string, unknown>) ?? {},
    resourceAttributes: (parseJson(r.resource_attributes) as Record<string, unknown>) ?? {},
    events: (parseJson(r.events) as SpanEvent[]) ?? [],
    convention: String(r.convention),
  };
  setConfidence(span, r);
  return span;
}

/** The confidence fields of a row, set only when the span carried logprobs. */
function setConfidence(span: Span, r: SpanRow): void {
  const perplexity = optionalNum(r.perplexity);
  if (perplexity === undefined) return;
  span.perplexity = perplexity;
  const fields = {
    logprobMean: optionalNum(r.logprob_mean),
    logprobMin: optionalNum(r.logprob_min),
    topEntropyMean: optionalNum(r.top_entropy_mean),
    lowProbShare: optionalNum(r.low_prob_share),
    logprobTokens: optionalNum(r.logprob_tokens),
  };
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) span[key as keyof typeof fields] = value;
}
