/**
 * Request bodies of the quality API: the management API's JSON reader (http/json-body.ts) with a
 * limit per route — item uploads are larger than the 1 MiB of other management bodies (10,000
 * items) — and an empty body read as `{}`; raw text for file imports.
 */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { readBody } from '../http/body.ts';
import { MAX_JSON_BODY_BYTES, readJsonBody } from '../http/json-body.ts';

/** Limit of item uploads and imports (64 MiB: 10,000 items of a few KiB each). */
export const ITEMS_BODY_BYTES = 64 * 1024 * 1024;

/** The body as text (gzip accepted), within `maxBytes` before and after decompression. */
export async function readText(request: IncomingMessage, maxBytes: number): Promise<string> {
  const raw = await readBody(request, { maxBodyBytes: maxBytes, maxDecompressedBytes: maxBytes });
  return raw.toString('utf8');
}

/**
 * Reads, parses and validates a JSON body (an empty body reads as `{}`).
 * @throws ArgusError UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, BAD_REQUEST or INVALID_PARAMETER.
 */
export function readJson<S extends z.ZodType>(
  request: IncomingMessage,
  schema: S,
  what: string,
  maxBytes = MAX_JSON_BODY_BYTES,
): Promise<z.output<S>> {
  return readJsonBody(request, schema, what, { maxBytes, isEmptyAnObject: true });
}
