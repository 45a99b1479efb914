/**
 * Opaque pagination cursors: base64url of `[list, timeNs, id]`, the sort key of the last item
 * of a page. Decoding is strict so a tampered or foreign cursor is a clear 400, never a
 * silently wrong page.
 */
import { ArgusError } from '../errors.ts';

/**
 * Which list a cursor belongs to; each list sorts on (time, id) with its own id shape, except
 * `spansByPerplexity`, whose "time" is the perplexity's bits (query/span-order.ts).
 */
export type CursorList = 'traces' | 'spans' | 'spansByPerplexity' | 'sessions' | 'users';

/** A decoded cursor: the sort key of the last item already returned. */
export interface Cursor {
  /** Unix nanoseconds as a decimal string. */
  timeNs: string;
  id: string;
}

const ID_PATTERN: Readonly<Record<CursorList, RegExp>> = {
  traces: /^[0-9a-f]{32}$/,
  spans: /^[0-9a-f]{16}$/,
  spansByPerplexity: /^[0-9a-f]{16}$/,
  sessions: /^[^\u0000]{1,256}$/,
  users: /^[^\u0000]{1,256}$/,
};

const MAX_CURSOR_CHARS = 1024;

/** Encodes the sort key of the last item of a page. */
export function encodeCursor(list: CursorList, cursor: Cursor): string {
  return Buffer.from(JSON.stringify([list, cursor.timeNs, cursor.id]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the same list.
 * @throws ArgusError INVALID_PARAMETER naming `cursor` for anything else.
 */
export function decodeCursor(list: CursorList, raw: string): Cursor {
  const invalid = (why: string) =>
    new ArgusError('INVALID_PARAMETER', `Invalid parameter 'cursor': ${quote(raw)} ${why}`);
  if (raw.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(raw))
    throw invalid('is not a base64url cursor');
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  // Re-encoding must give the same text: rejects padding tricks and invalid UTF-8.
  if (Buffer.from(text, 'utf8').toString('base64url') !== raw) throw invalid('is not a base64url cursor');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('is not a cursor returned by this API');
  }
  if (!Array.isArray(value) || value.length !== 3) throw invalid('is not a cursor returned by this API');
  const [kind, timeNs, id] = value as unknown[];
  if (kind !== list) throw invalid(`is a cursor of another list; expected one from /${list}`);
  if (
    typeof timeNs !== 'string' ||
    !/^\d{1,19}$/.test(timeNs) ||
    BigInt(timeNs) > 9_223_372_036_854_775_807n
  ) {
    throw invalid('has an invalid time');
  }
  if (typeof id !== 'string' || !ID_PATTERN[list].test(id)) throw invalid('has an invalid id');
  return { timeNs, id };
}

/** A value quoted for an error message, shortened when long. */
export function quote(value: string): string {
  const short = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return `'${short}'`;
}
