/**
 * Request bodies of the quality API: JSON validated by a zod schema (the first bad field named in
 * the message), with a limit per route — item uploads are larger than the 1 MiB of other
 * management bodies (10,000 items) — and raw text for file imports.
 */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { ArgusError } from '../errors.ts';
import { readBody } from '../ingest/body.ts';

/** Default JSON body limit (1 MiB). */
export const DEFAULT_BODY_BYTES = 1024 * 1024;
/** Limit of item uploads and imports (64 MiB: 10,000 items of a few KiB each). */
export const ITEMS_BODY_BYTES = 64 * 1024 * 1024;

/** The body as text (gzip accepted), within `maxBytes` before and after decompression. */
export async function readText(request: IncomingMessage, maxBytes: number): Promise<string> {
  const raw = await readBody(request, { maxBodyBytes: maxBytes, maxDecompressedBytes: maxBytes });
  return raw.toString('utf8');
}

/**
 * Validates a value; `what` names the object in the message.
 * @throws ArgusError INVALID_PARAMETER `Invalid dataset field 'name': …`.
 */
export function validateBody<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw new ArgusError('INVALID_PARAMETER', `Invalid ${what} field '${field}': ${issue.message}`);
}

/**
 * Reads, parses and validates a JSON body.
 * @throws ArgusError UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, BAD_REQUEST or INVALID_PARAMETER.
 */
export async function readJson<S extends z.ZodType>(
  request: IncomingMessage,
  schema: S,
  what: string,
  maxBytes = DEFAULT_BODY_BYTES,
): Promise<z.output<S>> {
  const type = String(request.headers['content-type'] ?? 'application/json').toLowerCase();
  if (!type.startsWith('application/json')) {
    request.resume();
    throw new ArgusError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Cannot read ${what}: Content-Type '${type}' is not supported, expected application/json`,
    );
  }
  const text = await readText(request, maxBytes);
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ArgusError('BAD_REQUEST', `Cannot parse ${what}: the body is not JSON`);
  }
  return validateBody(schema, json, what);
}
