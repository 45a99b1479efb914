/**
 * What an endpoint handler returns (a JSON body, an event stream or an error) and helpers the
 * handlers share for reading request bodies of either API family.
 */
import { type Dialect, failStatusOf, InvalidRequest, type MockError, mockError } from './errors.ts';
import type { SseEvent } from './http.ts';

/** A JSON answer. */
export interface JsonAnswer {
  type: 'json';
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** A server-sent event stream. */
export interface SseAnswer {
  type: 'sse';
  events: SseEvent[];
  headers: Record<string, string>;
}

/** A provider-shaped error. */
export interface ErrorAnswer extends MockError {
  type: 'error';
}

/** The result of one endpoint handler. */
export type Answer = JsonAnswer | SseAnswer | ErrorAnswer;

/** Settings a handler needs. */
export interface HandlerContext {
  /** Mixed into ids so two mocks with different seeds answer different ids. */
  seed: number;
  /** The raw request body, for deterministic ids. */
  rawBody: string;
  /** Break a streamed answer midway (the `x-mock-fail: stream` header). */
  failStream?: boolean;
}

/** Unix seconds every answer reports as its creation time (2026-01-01T00:00:00Z), so answers are reproducible. */
export const CREATED_AT = 1_767_225_600;

/** A JSON answer with status 200. */
export function json(body: unknown, headers: Record<string, string> = {}): JsonAnswer {
  return { type: 'json', status: 200, body, headers };
}

/** An error answer in the dialect's shape. */
export function failure(dialect: Dialect, status: number, message?: string): ErrorAnswer {
  return { type: 'error', ...mockError(dialect, status, message) };
}

/** The answer a `[[fail:NNN]]` marker in any of `texts` asks for, if any. */
export function failureFromMarker(dialect: Dialect, texts: string): ErrorAnswer | undefined {
  const status = failStatusOf(texts);
  return status === undefined ? undefined : failure(dialect, status);
}

/** Whether a value is a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A required string field, or an {@link InvalidRequest}. */
export function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '')
    throw new InvalidRequest(`Missing required parameter: '${field}'`);
  return value;
}

/** An optional non-negative integer field. */
export function optionalCount(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * The text of message content in any shape: a string, or an array of parts whose text is in
 * `text` (OpenAI `text`/`input_text`/`output_text`, Anthropic `text`), `content` (Anthropic
 * `tool_result`) or `refusal`. Other parts (images, audio) contribute nothing.
 */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    else if (isRecord(part)) {
      if (typeof part.text === 'string') texts.push(part.text);
      else if (typeof part.refusal === 'string') texts.push(part.refusal);
      else if (part.content !== undefined) texts.push(textOf(part.content));
      else if (isRecord(part.input)) texts.push(JSON.stringify(part.input));
    }
  }
  return texts.join(' ');
}

/** Splits an answer into streamed pieces: one word each, spaces kept in front (`Once`, ` upon`, …). */
export function streamPieces(text: string): string[] {
  return text === '' ? [] : text.split(' ').map((w, i) => (i === 0 ? w : ` ${w}`));
}

/** Splits tool-call arguments into three fragments, as providers stream them. */
export function argumentFragments(args: string): string[] {
  const third = Math.ceil(args.length / 3);
  return [args.slice(0, third), args.slice(third, 2 * third), args.slice(2 * third)].filter((s) => s !== '');
}
