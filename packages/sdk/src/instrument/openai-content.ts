/**
 * OpenAI request and response shapes → span attributes: request parameters, chat messages in
 * the parts schema, tool definitions, usage, and logprobs events.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import { getConfig } from '../config.ts';
import type { LlmCall, Usage } from './call.ts';
import {
  type CapturedMessage,
  isObj,
  mediaPart,
  num,
  type Obj,
  objects,
  type Part,
  str,
  textPart,
  toJson,
  toolCallPart,
  toolResponsePart,
} from './parts.ts';

/** Sets `key` when `value` is a finite number. */
export function setNumber(out: Attributes, key: string, value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
}

/** Request parameters shared by chat, legacy completions and the Responses API. */
export function requestParams(body: Obj, out: Attributes): void {
  setNumber(out, 'gen_ai.request.temperature', body.temperature);
  setNumber(out, 'gen_ai.request.top_p', body.top_p);
  setNumber(
    out,
    'gen_ai.request.max_tokens',
    body.max_completion_tokens ?? body.max_tokens ?? body.max_output_tokens,
  );
  setNumber(out, 'gen_ai.request.frequency_penalty', body.frequency_penalty);
  setNumber(out, 'gen_ai.request.presence_penalty', body.presence_penalty);
  setNumber(out, 'gen_ai.request.seed', body.seed);
  if (typeof body.n === 'number' && body.n !== 1) out['gen_ai.request.choice.count'] = body.n;
  if (typeof body.stop === 'string') out['gen_ai.request.stop_sequences'] = [body.stop];
  else if (Array.isArray(body.stop))
    out['gen_ai.request.stop_sequences'] = body.stop.filter((s) => typeof s === 'string');
  if (body.stream === true) out['gen_ai.request.stream'] = true;
  if (typeof body.service_tier === 'string') out['openai.request.service_tier'] = body.service_tier;
  const format = isObj(body.response_format) ? str(body.response_format.type) : undefined;
  if (format !== undefined) out['gen_ai.output.type'] = format === 'text' ? 'text' : 'json';
}

/** Parts of OpenAI message content: a string, or text / image / audio / file / refusal parts. */
export function contentParts(content: unknown): Part[] {
  if (typeof content === 'string') return content === '' ? [] : [textPart(content)];
  const parts: Part[] = [];
  for (const p of objects(content)) {
    const type = str(p.type);
    if (typeof p.text === 'string') parts.push(textPart(p.text));
    else if (type === 'refusal' && typeof p.refusal === 'string') parts.push(textPart(p.refusal, 'refusal'));
    else if (type === 'image_url' && isObj(p.image_url) && typeof p.image_url.url === 'string')
      parts.push(mediaPart(p.image_url.url, 'image'));
    else if (type === 'input_image' && typeof p.image_url === 'string')
      parts.push(mediaPart(p.image_url, 'image'));
    else if (type === 'input_audio' && isObj(p.input_audio))
      parts.push({
        type: 'blob',
        modality: 'audio',
        mime_type: `audio/${str(p.input_audio.format) ?? 'wav'}`,
        content: p.input_audio.data,
      });
    else if (type === 'file' && isObj(p.file)) {
      const file = p.file;
      if (typeof file.file_id === 'string')
        parts.push({ type: 'file', modality: 'document', file_id: file.file_id });
      else if (typeof file.file_data === 'string') parts.push(mediaPart(file.file_data, 'document'));
    } else if (type === 'input_file' && typeof p.file_id === 'string')
      parts.push({ type: 'file', modality: 'document', file_id: p.file_id });
    else if (type !== undefined) parts.push({ type });
  }
  return parts;
}

/** The text of message content (for tool results). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return objects(content)
    .map((p) => str(p.text) ?? '')
    .join('');
}

/** One chat message in the parts schema. */
export function chatMessage(m: Obj): CapturedMessage {
  const role = str(m.role) ?? 'user';
  if (role === 'tool' || role === 'function') {
    const id = role === 'tool' ? m.tool_call_id : m.name;
    return { role: 'tool', parts: [toolResponsePart(id, contentText(m.content))] };
  }
  const parts: Part[] = [];
  if (typeof m.reasoning_content === 'string' && m.reasoning_content !== '')
    parts.push(textPart(m.reasoning_content, 'reasoning'));
  parts.push(...contentParts(m.content));
  if (typeof m.refusal === 'string') parts.push(textPart(m.refusal, 'refusal'));
  for (const call of objects(m.tool_calls)) {
    const fn = isObj(call.function) ? call.function : isObj(call.custom) ? call.custom : {};
    parts.push(toolCallPart(call.id, fn.name, fn.arguments ?? fn.input));
  }
  if (isObj(m.function_call))
    parts.push(toolCallPart(undefined, m.function_call.name, m.function_call.arguments));
  const message: CapturedMessage = { role, parts };
  if (typeof m.name === 'string') message.name = m.name;
  return message;
}

/** `gen_ai.tool.definitions` entries from chat tools (`{type, function: {...}}`) or Responses tools (flat). */
export function toolDefinitions(tools: unknown): Obj[] {
  return objects(tools).map((t) => {
    const fn = isObj(t.function) ? t.function : t;
    const def: Obj = { type: str(t.type) ?? 'function', name: str(fn.name) ?? str(t.type) ?? '' };
    if (typeof fn.description === 'string') def.description = fn.description;
    if (fn.parameters !== undefined) def.parameters = fn.parameters;
    return def;
  });
}

/** Sets `key` to the JSON of `value` when it serializes. */
export function setJson(out: Attributes, key: string, value: unknown): void {
  const text = toJson(value);
  if (text !== undefined) out[key] = text;
}

/** Usage of a chat/completions response (`prompt_tokens` already includes cached tokens). */
export function chatUsage(usage: unknown): Usage | undefined {
  if (!isObj(usage)) return undefined;
  const prompt = isObj(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isObj(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return {
    input: num(usage.prompt_tokens),
    output: num(usage.completion_tokens),
    // DeepSeek reports `prompt_cache_hit_tokens`, Moonshot a top-level `cached_tokens`.
    cacheRead: num(prompt.cached_tokens) ?? num(usage.prompt_cache_hit_tokens) ?? num(usage.cached_tokens),
    reasoning: num(completion.reasoning_tokens),
  };
}

/** A chat or text completion's answer, from its response or its stream. */
export interface ChoicesAnswer {
  id: unknown;
  model: unknown;
  finishReasons: string[];
  /** The `usage` object as sent, if any. */
  usage: unknown;
  /** The token counts to record, marked estimated, when no usage was sent. */
  estimate?: () => Usage;
}

/** Records a chat or text completion's id, model, finish reasons and usage (else its estimate). */
export function setChoicesAnswer(call: LlmCall, answer: ChoicesAnswer): void {
  call.setResponse(answer.id, answer.model, answer.finishReasons);
  const usage = chatUsage(answer.usage);
  if (usage !== undefined) call.setUsage(usage);
  else if (answer.estimate !== undefined) call.setUsage(answer.estimate(), true);
}

/** Characters of text in chat messages, for usage estimates. */
export function messagesChars(messages: unknown): number {
  let chars = 0;
  for (const m of objects(messages)) chars += contentText(m.content).length;
  return chars;
}

/** Logprob entries reduced to token, logprob and top alternatives. */
function logprobEntries(entries: Obj[]): Obj[] {
  return entries.map((e) => ({
    token: e.token,
    logprob: e.logprob,
    top_logprobs: objects(e.top_logprobs).map((t) => ({ token: t.token, logprob: t.logprob })),
  }));
}

/**
 * Adds a `gen_ai.choice.logprobs` event for one choice: `gen_ai.choice.index`, `logprobs.count`
 * and `logprobs.mean` always, the tokens (`logprobs.content`, JSON) only when capturing content
 * without a `redact` function (token pieces cannot be redacted reliably).
 */
export function addLogprobsEvent(span: Span, index: number, entries: Obj[], capture: boolean): void {
  if (entries.length === 0) return;
  let sum = 0;
  for (const e of entries) sum += num(e.logprob) ?? 0;
  const attrs: Attributes = {
    'gen_ai.choice.index': index,
    'logprobs.count': entries.length,
    'logprobs.mean': sum / entries.length,
  };
  if (capture && getConfig().redact === undefined)
    setJson(attrs, 'logprobs.content', logprobEntries(entries));
  span.addEvent('gen_ai.choice.logprobs', attrs);
}
