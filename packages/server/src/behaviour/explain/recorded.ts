/**
 * A recorded LLM call as explainability replays it: the span's messages (system instructions
 * first) as chat messages, its parameters, model and output text, the retrieved documents of the
 * trace's retriever spans, and the connection that serves its model.
 */
import type { Span } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import { servesModel } from '../../quality/connection-repository.ts';
import type { ChatMessage, ChatRequest, ConnectionTarget } from '../../quality/connections-client.ts';
import type { Quality } from '../../quality/service.ts';
import { getTrace } from '../../query/index.ts';
import type { ClickhouseDriver } from '../../store/clickhouse/driver.ts';

/** What a replay needs of a recorded call. */
export interface RecordedCall {
  traceId: string;
  spanId: string;
  model: string;
  messages: ChatMessage[];
  params: Omit<ChatRequest, 'model' | 'messages'>;
  output: string;
  /** Cost of the recorded call, when known. */
  costUsd?: number;
  documents: string[];
}

/** The text of a message's parts, or of a plain value. */
export function partsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value))
    return value
      .map((p) => (typeof p === 'string' ? p : typeof p?.content === 'string' ? p.content : ''))
      .filter((t) => t !== '')
      .join('\n');
  if (value !== null && typeof value === 'object' && Array.isArray((value as { parts?: unknown }).parts))
    return partsText((value as { parts: unknown }).parts);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

const ROLES = new Set(['system', 'user', 'assistant']);

/** A span's input as chat messages (tool results read as user turns). */
export function messagesOf(span: Pick<Span, 'input' | 'systemInstructions'>): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const system = partsText(span.systemInstructions);
  if (system.trim() !== '') messages.push({ role: 'system', content: system });
  if (typeof span.input === 'string') messages.push({ role: 'user', content: span.input });
  else if (Array.isArray(span.input))
    for (const m of span.input as { role?: string; parts?: unknown; content?: unknown }[]) {
      const content = partsText(m?.parts ?? m?.content);
      const role = ROLES.has(m?.role ?? '') ? (m.role as ChatMessage['role']) : 'user';
      if (content.trim() !== '') messages.push({ role, content });
    }
  return messages;
}

function paramsOf(span: Span): RecordedCall['params'] {
  const p = span.params ?? {};
  return {
    ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
    ...(p.topP !== undefined ? { topP: p.topP } : {}),
    ...(p.maxTokens !== undefined ? { maxTokens: p.maxTokens } : {}),
    ...(p.seed !== undefined ? { seed: p.seed } : {}),
    ...(p.stopSequences?.length ? { stop: p.stopSequences } : {}),
  };
}

/**
 * Reads the LLM span `spanId` of a trace.
 * @throws ArgusError NOT_FOUND (trace or span), INVALID_PARAMETER (not an LLM call, no messages).
 */
export async function readRecordedCall(
  driver: ClickhouseDriver,
  projectId: string,
  ref: { traceId: string; spanId: string },
): Promise<RecordedCall> {
  const trace = await getTrace(driver, projectId, ref.traceId);
  const span = trace.spans.find((s) => s.spanId === ref.spanId.toLowerCase());
  if (!span)
    throw new ArgusError('NOT_FOUND', `Cannot find span '${ref.spanId}' in trace '${trace.traceId}'`);
  if (span.kind !== 'llm')
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid field 'spanId': span '${span.spanId}' is a ${span.kind} span; explanations replay LLM calls`,
    );
  const messages = messagesOf(span);
  if (messages.length === 0)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid field 'spanId': span '${span.spanId}' has no recorded prompt (was content capture off?)`,
    );
  const documents = trace.spans
    .filter((s) => s.kind === 'retriever')
    .flatMap((s) => (s.retrievalDocuments ?? []).map((d) => d.content ?? ''))
    .filter((d) => d !== '');
  return {
    traceId: trace.traceId,
    spanId: span.spanId,
    model: span.requestModel || span.responseModel,
    messages,
    params: paramsOf(span),
    output: partsText(Array.isArray(span.output) ? span.output[0] : span.output),
    ...(span.costUsd > 0 ? { costUsd: span.costUsd } : {}),
    documents,
  };
}

/**
 * The connection to replay through: the named one, else the project's first connection that
 * serves the model. @throws ArgusError NOT_FOUND, INVALID_PARAMETER (none serves the model).
 */
export async function replayConnection(
  quality: Quality,
  projectId: string,
  model: string,
  connectionId?: string,
): Promise<{ id: string; target: ConnectionTarget & { models: string[] } }> {
  if (connectionId)
    return { id: connectionId, target: await quality.openConnection(projectId, connectionId) };
  const found = (await quality.connections.list(projectId)).find((c) => servesModel(c.models, model));
  if (!found)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid field 'connectionId': no LLM connection of this project serves model '${model}'; create one or name it`,
    );
  return { id: found.id, target: await quality.openConnection(projectId, found.id) };
}
