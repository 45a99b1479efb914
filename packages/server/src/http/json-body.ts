/**
 * JSON request bodies of the management API (alerts …): Content-Type check, a 1 MiB limit,
 * parsing, and zod validation whose failure names the first bad field.
 */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { ArgusError } from '../errors.ts';
import { readBody } from './body.ts';

/** Largest JSON body accepted. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** How {@link readJsonBody} reads: its byte limit and whether an empty body stands for `{}`. */
export interface JsonBodyOptions {
  /** Limit before and after decompression (default {@link MAX_JSON_BODY_BYTES}). */
  maxBytes?: number;
  /** An empty (or blank) body is read as `{}` instead of being a BAD_REQUEST. */
  isEmptyAnObject?: boolean;
}

/**
 * Reads, parses and validates a JSON body; `what` names the object in messages (`rule`).
 * @throws ArgusError UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, BAD_REQUEST or INVALID_PARAMETER.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: IncomingMessage,
  schema: S,
  what: string,
  options: JsonBodyOptions = {},
): Promise<z.output<S>> {
  requireJsonType(request, `Cannot read ${what}`);
  const maxBytes = options.maxBytes ?? MAX_JSON_BODY_BYTES;
  const raw = await readBody(request, { maxBodyBytes: maxBytes, maxDecompressedBytes: maxBytes });
  const text = raw.toString('utf8');
  const json = options.isEmptyAnObject === true && text.trim() === '' ? {} : parseJsonText(text, what);
  return validate(schema, json, what);
}

/**
 * Refuses a body whose Content-Type is not JSON (none counts as JSON), draining it first;
 * `doing` starts the message (`Cannot read rule`, `Cannot accept runs`).
 * @throws ArgusError UNSUPPORTED_MEDIA_TYPE `Cannot read rule: Content-Type 'text/plain' is not supported, …`.
 */
export function requireJsonType(request: IncomingMessage, doing: string): void {
  const type = String(request.headers['content-type'] ?? 'application/json').toLowerCase();
  if (type.startsWith('application/json')) return;
  request.resume();
  throw new ArgusError(
    'UNSUPPORTED_MEDIA_TYPE',
    `${doing}: Content-Type '${type}' is not supported, expected application/json`,
  );
}

/**
 * Parses a body's text as JSON; `what` names the object in the message.
 * @throws ArgusError BAD_REQUEST `Cannot parse feedback: the body is not JSON`.
 */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ArgusError('BAD_REQUEST', `Cannot parse ${what}: the body is not JSON`);
  }
}

/**
 * Validates a value with a zod schema.
 * @throws ArgusError INVALID_PARAMETER `Invalid rule field 'source.metric': …`.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw new ArgusError('INVALID_PARAMETER', `Invalid ${what} field '${field}': ${issue.message}`);
}
