/**
 * The context a caller sets with headers: W3C `traceparent` (the gateway's span joins the
 * caller's trace), `x-argus-user-id`, `x-argus-session-id`, `x-argus-tags` (comma-separated or a
 * JSON list) and `x-argus-metadata` (a JSON object of strings). Bad values are refused with a
 * clear message rather than dropped silently.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ArgusError } from '../errors.ts';

/** The trace position and context of one call. */
export interface CallContext {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  userId: string;
  sessionId: string;
  tags: string[];
  metadata: Record<string, string>;
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;
const MAX_VALUE_CHARS = 200;
const MAX_TAGS = 50;
const MAX_METADATA_KEYS = 50;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function bounded(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (value.length > MAX_VALUE_CHARS)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid header '${name}': longer than ${MAX_VALUE_CHARS} characters`,
    );
  return value;
}

function tagsOf(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  let list: unknown = raw.split(',');
  if (raw.startsWith('[')) {
    try {
      list = JSON.parse(raw);
    } catch {
      throw new ArgusError(
        'INVALID_PARAMETER',
        "Invalid header 'x-argus-tags': it starts with '[' but is not a JSON list",
      );
    }
  }
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string'))
    throw new ArgusError('INVALID_PARAMETER', "Invalid header 'x-argus-tags': expected a list of strings");
  const tags = list.map((t: string) => t.trim()).filter((t) => t !== '');
  if (tags.length > MAX_TAGS)
    throw new ArgusError('INVALID_PARAMETER', `Invalid header 'x-argus-tags': more than ${MAX_TAGS} tags`);
  return tags.map((t) => bounded('x-argus-tags', t));
}

function metadataOf(raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ArgusError(
      'INVALID_PARAMETER',
      "Invalid header 'x-argus-metadata': it is not JSON (expected an object of strings)",
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ArgusError('INVALID_PARAMETER', "Invalid header 'x-argus-metadata': expected a JSON object");
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > MAX_METADATA_KEYS)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid header 'x-argus-metadata': more than ${MAX_METADATA_KEYS} keys`,
    );
  return Object.fromEntries(
    entries.map(([k, v]) => [k, bounded('x-argus-metadata', typeof v === 'string' ? v : JSON.stringify(v))]),
  );
}

/**
 * Reads the context headers; a new trace unless a valid `traceparent` names one.
 * @throws ArgusError INVALID_PARAMETER for a malformed tag list or metadata object.
 */
export function callContextOf(headers: IncomingHttpHeaders): CallContext {
  const parent = TRACEPARENT.exec(header(headers, 'traceparent')?.toLowerCase() ?? '');
  const hasParent = parent !== null && !/^0+$/.test(parent[1]!) && !/^0+$/.test(parent[2]!);
  return {
    traceId: hasParent ? parent[1]! : randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: hasParent ? parent[2]! : '',
    userId: bounded('x-argus-user-id', header(headers, 'x-argus-user-id')),
    sessionId: bounded('x-argus-session-id', header(headers, 'x-argus-session-id')),
    tags: tagsOf(header(headers, 'x-argus-tags')),
    metadata: metadataOf(header(headers, 'x-argus-metadata')),
  };
}
