/**
 * What a call asked for, read from the caller's JSON body for its span: the parameters, the input
 * messages (normalized like any ingested span's), tools and whether it streams. Pure.
 */
import type { Message, ModelParams } from '@argus/shared';
import { toMessages } from '../normalize/messages.ts';
import { isRecord, toNumber, toText } from '../normalize/values.ts';

/** A gateway endpoint. */
export type Operation = 'chat' | 'text_completion' | 'embeddings' | 'responses' | 'messages';

/** What the span records of a request. */
export interface RequestFacts {
  model: string;
  stream: boolean;
  params: ModelParams;
  /** The parsed body, for {@link contentFacts} once the call has ended. */
  body: Record<string, unknown>;
  /** The caller asked for usage in the stream (`stream_options.include_usage`). */
  wantsUsage: boolean;
  /** The caller asked for token log-probabilities. */
  wantsLogprobs: boolean;
}

function stopOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string');
  return undefined;
}

/** Request parameters in their canonical names. */
function paramsOf(body: Record<string, unknown>, stream: boolean): ModelParams {
  const params: ModelParams = {
    temperature: toNumber(body.temperature),
    topP: toNumber(body.top_p),
    topK: toNumber(body.top_k),
    maxTokens: toNumber(body.max_completion_tokens ?? body.max_tokens ?? body.max_output_tokens),
    frequencyPenalty: toNumber(body.frequency_penalty),
    presencePenalty: toNumber(body.presence_penalty),
    seed: toNumber(body.seed),
    stopSequences: stopOf(body.stop ?? body.stop_sequences),
    stream,
  };
  for (const key of Object.keys(params) as (keyof ModelParams)[])
    if (params[key] === undefined) delete params[key];
  return params;
}

function inputOf(operation: Operation, body: Record<string, unknown>): unknown {
  switch (operation) {
    case 'chat':
    case 'messages':
      return toMessages(body.messages, { role: 'user' }) ?? body.messages;
    case 'responses':
      return toMessages(body.input, { role: 'user' }) ?? body.input;
    case 'text_completion':
      return toMessages(toText(body.prompt) ?? body.prompt, { role: 'user' }) ?? body.prompt;
    case 'embeddings':
      return body.input;
  }
}

/** What the span records of the request's content: messages, system instructions, tools. */
export interface ContentFacts {
  input: Message[] | unknown;
  systemInstructions?: unknown;
  toolDefinitions?: unknown;
}

/** The content of a request, normalized (read after the call: routing does not need it). */
export function contentFacts(operation: Operation, body: Record<string, unknown>): ContentFacts {
  const system =
    operation === 'messages' ? body.system : operation === 'responses' ? body.instructions : undefined;
  return {
    input: inputOf(operation, body),
    ...(system !== undefined ? { systemInstructions: system } : {}),
    ...(Array.isArray(body.tools) ? { toolDefinitions: body.tools } : {}),
  };
}

/** Reads what routing and the span need of a parsed request body. */
export function requestFacts(body: Record<string, unknown>): RequestFacts {
  const stream = body.stream === true;
  return {
    model: typeof body.model === 'string' ? body.model : '',
    stream,
    params: paramsOf(body, stream),
    body,
    wantsUsage: isRecord(body.stream_options) && body.stream_options.include_usage === true,
    wantsLogprobs: body.logprobs === true || (typeof body.logprobs === 'number' && body.logprobs > 0),
  };
}
