/**
 * One gateway call → one canonical span (kind `llm`, or `embedding`), built after the answer has
 * gone to the caller and handed to the ingest write path (redaction, pricing, token estimates,
 * group-commit writer) like any ingested span. Inter-token latency (p50/p95/max) goes into the
 * attributes `gen_ai.server.inter_token_latency.{p50,p95,max}_ms`; logprobs go through the same
 * confidence step as ingested spans.
 */
import type { Span } from '@argus/shared';
import { extractConfidence } from '../behaviour/confidence/index.ts';
import { applyConfidence } from '../normalize/confidence.ts';
import { noModelCall } from '../normalize/no-model-call.ts';
import type { AnswerFacts } from './answer-reader.ts';
import type { CallContext } from './call-context.ts';
import { contentFacts, type Operation, type RequestFacts } from './request-facts.ts';

/** The service name of gateway spans. */
export const GATEWAY_SERVICE = 'argus-gateway';

/** One upstream attempt of a call. */
export interface Attempt {
  connection: string;
  model: string;
  status?: number;
  error?: string;
  ms: number;
}

/** Everything the span of a call is made from. */
export interface CallRecord {
  projectId: string;
  context: CallContext;
  operation: Operation;
  request: RequestFacts;
  answer: AnswerFacts | undefined;
  /** The provider of the connection that answered (or was tried last). */
  provider: string;
  /** The status the caller got. */
  status: number;
  /** Unix epoch ms (fractional) of the call's start and end. */
  startMs: number;
  endMs: number;
  /** ms from the start to the first output token (streams). */
  ttftMs: number | undefined;
  /** Gaps between output events, ms. */
  gapsMs: number[];
  error: string | undefined;
  attempts: Attempt[];
  overheadMs: number;
  cached: boolean;
  keyId: string;
  logprobsSampled: boolean;
}

/** The value at quantile `q` of ascending numbers. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const OPERATION_NAMES: Record<Operation, string> = {
  chat: 'chat',
  messages: 'chat',
  responses: 'chat',
  text_completion: 'text_completion',
  embeddings: 'embeddings',
};

function nanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

function attributesOf(r: CallRecord): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    'argus.gateway.status': r.status,
    'argus.gateway.overhead_ms': Math.round(r.overheadMs * 1000) / 1000,
    'argus.gateway.attempts': JSON.stringify(r.attempts),
    'argus.gateway.key_id': r.keyId,
  };
  if (r.cached) attributes['argus.gateway.cached'] = true;
  if (r.logprobsSampled) attributes['argus.gateway.logprobs_sampled'] = true;
  if (r.gapsMs.length > 0) {
    const sorted = [...r.gapsMs].sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 1000) / 1000;
    attributes['gen_ai.server.inter_token_latency.p50_ms'] = round(quantile(sorted, 0.5));
    attributes['gen_ai.server.inter_token_latency.p95_ms'] = round(quantile(sorted, 0.95));
    attributes['gen_ai.server.inter_token_latency.max_ms'] = round(sorted.at(-1)!);
  }
  return attributes;
}

/** The span of a call (costs left to the pricing step, except a cached call's, which is 0). */
export function callSpan(r: CallRecord): Span {
  const a = r.answer;
  const usage = a?.usage;
  const model = r.request.model;
  const isError = r.error !== undefined || r.status >= 400;
  const content = contentFacts(r.operation, r.request.body);
  const span: Span = {
    projectId: r.projectId,
    traceId: r.context.traceId,
    spanId: r.context.spanId,
    parentSpanId: r.context.parentSpanId,
    name: `${OPERATION_NAMES[r.operation]} ${model}`,
    kind: r.operation === 'embeddings' ? 'embedding' : 'llm',
    serviceName: GATEWAY_SERVICE,
    serviceVersion: '',
    environment: '',
    scope: 'argus.gateway',
    startTime: new Date(r.startMs).toISOString(),
    endTime: new Date(r.endMs).toISOString(),
    startTimeUnixNano: nanos(r.startMs),
    endTimeUnixNano: nanos(r.endMs),
    durationMs: Math.max(0, r.endMs - r.startMs),
    status: isError ? 'error' : 'ok',
    statusMessage: r.error ?? '',
    errorType: isError ? (r.status >= 400 ? String(r.status) : 'GatewayError') : '',
    ...noModelCall(),
    provider: r.provider,
    operation: OPERATION_NAMES[r.operation],
    requestModel: model,
    responseModel: a?.responseModel ?? '',
    params: r.request.params,
    responseId: a?.responseId ?? '',
    finishReasons: a?.finishReasons ?? [],
    input: content.input,
    output: a?.output,
    ...(content.systemInstructions !== undefined ? { systemInstructions: content.systemInstructions } : {}),
    ...(content.toolDefinitions !== undefined ? { toolDefinitions: content.toolDefinitions } : {}),
    toolName: '',
    toolCallId: '',
    sessionId: r.context.sessionId,
    userId: r.context.userId,
    conversationId: '',
    tags: r.context.tags,
    metadata: r.context.metadata,
    attributes: attributesOf(r),
    resourceAttributes: { 'service.name': GATEWAY_SERVICE },
    events: [],
    convention: 'argus',
  };
  if (r.ttftMs !== undefined) span.ttftMs = Math.round(r.ttftMs * 1000) / 1000;
  if (usage) {
    span.inputTokens = usage.inputTokens;
    span.outputTokens = usage.outputTokens;
    span.totalTokens = usage.inputTokens + usage.outputTokens;
    span.cacheReadTokens = usage.cacheReadTokens;
    span.cacheWriteTokens = usage.cacheWriteTokens;
    span.reasoningTokens = usage.reasoningTokens;
    const generating = span.durationMs - (span.ttftMs ?? 0);
    if (usage.outputTokens > 0 && generating > 0)
      span.tokensPerSecond = Math.round((usage.outputTokens / generating) * 1e6) / 1e3;
  }
  if (r.cached) span.costSource = 'reported';
  if (a && a.logprobs.length > 0)
    applyConfidence(span, extractConfidence({ events: [], extra: a.logprobs }), []);
  return span;
}
