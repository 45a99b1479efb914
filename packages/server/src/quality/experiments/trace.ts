/**
 * The trace of one prompt run: a `chain` span for the dataset item with the `llm` call as its
 * child, written through the normal ingest path (redaction, pricing) so it opens in the console
 * like any other trace and its cost is priced from the catalog.
 */
import { randomBytes } from 'node:crypto';
import type { Message, Span, SpanKind } from '@argus/shared';
import { noModelCall } from '../../normalize/no-model-call.ts';
import type { ChatMessage, ChatResult } from '../connections-client.ts';

/** The service name experiment traces carry. */
export const EXPERIMENT_SERVICE = 'argus-experiments';

/** What a prompt run did, for its trace. */
export interface RunTrace {
  projectId: string;
  experimentId: string;
  experimentName: string;
  datasetId: string;
  itemId: string;
  repetition: number;
  provider: string;
  model: string;
  input: unknown;
  messages: ChatMessage[];
  params: { temperature?: number; maxTokens?: number; topP?: number; seed?: number; stop?: string[] };
  startMs: number;
  endMs: number;
  result?: ChatResult;
  error?: string;
}

/** A new random trace id (32 hex). */
export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

function toMessages(messages: ChatMessage[]): Message[] {
  return messages.map((m) => ({ role: m.role, parts: [{ type: 'text', content: m.content }] }));
}

function nanos(ms: number): bigint {
  return BigInt(Math.round(ms * 1000)) * 1000n;
}

function baseSpan(run: RunTrace, traceId: string, kind: SpanKind, startMs: number, endMs: number): Span {
  const start = nanos(startMs);
  const end = nanos(Math.max(startMs, endMs));
  return {
    projectId: run.projectId,
    traceId,
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: '',
    name: '',
    kind,
    serviceName: EXPERIMENT_SERVICE,
    serviceVersion: '',
    environment: 'experiment',
    scope: 'argus.experiments',
    startTime: new Date(startMs).toISOString(),
    endTime: new Date(Math.max(startMs, endMs)).toISOString(),
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    durationMs: Math.max(0, endMs - startMs),
    status: run.error ? 'error' : 'ok',
    statusMessage: run.error ?? '',
    errorType: run.error ? 'ProviderError' : '',
    ...noModelCall(),
    toolName: '',
    toolCallId: '',
    sessionId: '',
    userId: '',
    conversationId: '',
    tags: ['experiment'],
    metadata: {
      'argus.experiment.id': run.experimentId,
      'argus.experiment.name': run.experimentName,
      'argus.dataset.id': run.datasetId,
      'argus.dataset.item_id': run.itemId,
      'argus.experiment.repetition': String(run.repetition),
    },
    attributes: {},
    resourceAttributes: { 'service.name': EXPERIMENT_SERVICE },
    events: [],
    convention: 'argus',
  };
}

/** The two spans of a prompt run (root chain first); costs are left for the pricing step. */
export function runSpans(run: RunTrace, traceId: string): Span[] {
  const root = baseSpan(run, traceId, 'chain', run.startMs, run.endMs);
  root.name = `experiment ${run.experimentName}`;
  root.input = run.input;
  root.output = run.result?.text;
  const llm = baseSpan(run, traceId, 'llm', run.startMs, run.endMs);
  llm.parentSpanId = root.spanId;
  llm.name = `chat ${run.model}`;
  llm.provider = run.provider;
  llm.operation = 'chat';
  llm.requestModel = run.model;
  llm.responseModel = run.result?.model ?? '';
  const { stop, ...params } = run.params;
  llm.params = Object.fromEntries(
    Object.entries({ ...params, stopSequences: stop }).filter(([, v]) => v !== undefined),
  );
  llm.input = toMessages(run.messages);
  if (run.result) {
    llm.output = [
      {
        role: 'assistant',
        parts: [{ type: 'text', content: run.result.text }],
        finishReason: run.result.finishReason,
      },
    ];
    llm.inputTokens = run.result.usage.inputTokens;
    llm.outputTokens = run.result.usage.outputTokens;
    llm.totalTokens = run.result.usage.totalTokens;
    llm.finishReasons = run.result.finishReason ? [run.result.finishReason] : [];
  }
  return [root, llm];
}
