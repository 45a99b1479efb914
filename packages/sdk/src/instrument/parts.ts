/**
 * Building blocks of captured content in the OTel GenAI parts schema (≥ 1.37): messages of
 * typed parts (`text`, `reasoning`, `tool_call`, `tool_call_response`, `blob`, `uri`, `file`).
 * Every text goes through the configured `redact` and is cut at `maxContentChars`.
 */
import { getConfig, redactText } from '../config.ts';
import { truncate } from '../serialize.ts';

/** One message part. */
export type Part = { type: string } & Record<string, unknown>;

/** One captured message. */
export interface CapturedMessage {
  role: string;
  parts: Part[];
  name?: string;
  finish_reason?: string;
}

/** A loosely typed object from an SDK request or response. */
export type Obj = Record<string, unknown>;

/** Whether `value` is a non-array object. */
export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an array of objects (anything else gives none). */
export function objects(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isObj) : [];
}

/** A string field, if it is one. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number field, if it is one. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Redacted text, cut at the configured length. */
export function captured(text: string): string {
  const max = getConfig().maxContentChars;
  return truncate(redactText(truncate(text, max)), max);
}

/** A `text` part. */
export function textPart(text: string, type = 'text'): Part {
  return { type, content: captured(text) };
}

/** Tool-call arguments: the parsed object when the (redacted) JSON parses, else the text. */
export function toolArguments(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const text = captured(raw);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A `tool_call` part. */
export function toolCallPart(id: unknown, name: unknown, args: unknown): Part {
  return { type: 'tool_call', id: str(id), name: str(name) ?? '', arguments: toolArguments(args) };
}

/** A `tool_call_response` part; the response is the result's text. */
export function toolResponsePart(id: unknown, response: string): Part {
  return { type: 'tool_call_response', id: str(id), response: captured(response) };
}

const DATA_URL = /^data:([^;,]+)?(?:;[^,]*)?;base64,/;

/** An image/audio/document given as a URL: a `blob` for `data:` URLs, else a `uri` part. */
export function mediaPart(url: string, modality: string): Part {
  const m = DATA_URL.exec(url);
  if (m === null) return { type: 'uri', modality, uri: url };
  return { type: 'blob', modality, mime_type: m[1], content: url.slice(m[0].length) };
}

/** JSON text of captured content; never throws (an unserializable value gives undefined). */
export function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** The finish reason of an output message in the parts schema (`tool_calls` → `tool_call`). */
export function schemaFinishReason(raw: string | undefined): string {
  if (raw === undefined) return 'stop';
  if (raw === 'tool_calls' || raw === 'function_call' || raw === 'tool_use') return 'tool_call';
  if (raw === 'end_turn' || raw === 'stop_sequence') return 'stop';
  if (raw === 'max_tokens') return 'length';
  if (raw === 'refusal') return 'content_filter';
  return raw;
}

/** Rough token estimate of a text (4 characters a token), for streams that report no usage. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}
