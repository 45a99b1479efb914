/**
 * JSON request bodies of the management API (alerts …) and the LangSmith doors: Content-Type check,
 * a size limit, parsing, and zod validation whose failure names the first bad field.
 */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { ArgusError, type ErrorCode } from '../errors.ts';
import { type BodyLimits, readBody } from './body.ts';
import type { ByteBudget } from './body-budget.ts';

/** Largest JSON body accepted. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** How {@link readJsonBody} and {@link readJsonValue} read. */
export interface JsonBodyOptions {
  /** Limit before and after decompression (default {@link MAX_JSON_BODY_BYTES}); `limits` wins over it. */
  maxBytes?: number;
  /** An ingest door's separate raw and decompressed limits, instead of `maxBytes`. */
  limits?: BodyLimits;
  /** The byte budget the ingest doors share while bodies are read. */
  budget?: ByteBudget;
  /** An empty (or blank) body is read as `{}` instead of being a BAD_REQUEST. */
  isEmptyAnObject?: boolean;
  /** Starts the Content-Type message (default `Cannot read <what>`). */
  doing?: string;
  /** The code of a body that is not JSON (default BAD_REQUEST; the LangSmith run API answers INVALID_RUN). */
  notJsonCode?: ErrorCode;
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
  return validate(schema, await readJsonValue(request, what, options), what);
}

/**
 * Reads and parses a JSON body without validating it; `what` names the object in messages (`runs`).
 * @throws ArgusError UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE or BAD_REQUEST (`notJsonCode`).
 */
export async function readJsonValue(
  request: IncomingMessage,
  what: string,
  options: JsonBodyOptions = {},
): Promise<unknown> {
  requireJsonType(request, options.doing ?? `Cannot read ${what}`);
  const maxBytes = options.maxBytes ?? MAX_JSON_BODY_BYTES;
  const limits = options.limits ?? { maxBodyBytes: maxBytes, maxDecompressedBytes: maxBytes };
  const text = (await readBody(request, limits, options.budget)).toString('utf8');
  if (options.isEmptyAnObject === true && text.trim() === '') return {};
  return parseJsonText(text, what, options.notJsonCode);
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
export function parseJsonText(text: string, what: string, code: ErrorCode = 'BAD_REQUEST'): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ArgusError(code, `Cannot parse ${what}: the body is not JSON`);
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
