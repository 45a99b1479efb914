/**
 * Checks that make a span unstorable: ids of the wrong size, all-zero ids, and times outside
 * what the store can hold. Anything milder is repaired by the mapping and flagged instead.
 */
import { ArgusError } from '../errors.ts';
import { MAX_UNIX_NANO } from './time.ts';
import type { Retention } from './types.ts';

/** Longest id excerpt quoted in an error message. */
const QUOTE_CHARS = 40;

function quote(value: string): string {
  return value.length > QUOTE_CHARS ? `${value.slice(0, QUOTE_CHARS)}…` : value;
}

/**
 * The id lower-cased, or an `INVALID_SPAN` error naming the field, what it is and what it
 * should be (`'traceId' is 'abc' (3 hex chars), expected 32 hex chars`).
 */
export function checkId(subject: string, field: string, id: string, hexChars: number): string {
  const lower = id.toLowerCase();
  if (!/^[0-9a-f]*$/.test(lower)) {
    throw new ArgusError(
      'INVALID_SPAN',
      `Cannot accept ${subject}: '${field}' is '${quote(id)}' (not hex), expected ${hexChars} hex chars`,
    );
  }
  if (lower.length !== hexChars) {
    const what = lower.length === 0 ? 'empty' : `'${quote(id)}' (${lower.length} hex chars)`;
    throw new ArgusError(
      'INVALID_SPAN',
      `Cannot accept ${subject}: '${field}' is ${what}, expected ${hexChars} hex chars`,
    );
  }
  if (/^0+$/.test(lower)) {
    throw new ArgusError(
      'INVALID_SPAN',
      `Cannot accept ${subject}: '${field}' is all zeros, expected a non-zero id`,
    );
  }
  return lower;
}

/** A parent id: empty or all zeros mean "root"; anything else must be a valid span id. */
export function checkParentId(id: string): string {
  if (id === '' || /^0+$/.test(id)) return '';
  return checkId('span', 'parentSpanId', id, 16);
}

/** A timestamp the store can hold (after 1970, before 2262-04-11). */
export function checkTime(subject: string, field: string, ns: bigint): bigint {
  if (ns <= 0n) {
    throw new ArgusError(
      'INVALID_SPAN',
      `Cannot accept ${subject}: '${field}' is ${ns}, expected unix nanoseconds after 1970`,
    );
  }
  if (ns > MAX_UNIX_NANO) {
    throw new ArgusError(
      'INVALID_SPAN',
      `Cannot accept ${subject}: '${field}' is ${ns}, expected a time before 2262-04-11`,
    );
  }
  return ns;
}

/** Errors thrown by {@link checkRetained}. */
const beyondRetention = new WeakSet<object>();

/** True for the error {@link checkRetained} throws (the LangSmith API skips such runs alone). */
export function isBeyondRetention(error: unknown): boolean {
  return typeof error === 'object' && error !== null && beyondRetention.has(error);
}

/** Before 1973-03-03 in nanoseconds: a time this small was most likely sent in a coarser unit. */
const LIKELY_WRONG_UNIT = 100_000_000_000_000_000n;

/**
 * A time the store can hold ({@link checkTime}) and keeps: telemetry older than the retention
 * would be dropped by its TTL and never be readable, so it is rejected with a message that says
 * so instead of a silent 200.
 */
export function checkRetained(
  subject: string,
  field: string,
  ns: bigint,
  retention: Retention | undefined,
): bigint {
  checkTime(subject, field, ns);
  if (retention === undefined || ns >= retention.oldestUnixNano) return ns;
  const at = new Date(Number(ns / 1_000_000n)).toISOString();
  const unit =
    ns < LIKELY_WRONG_UNIT
      ? '; OTLP times are unix nanoseconds: was it sent in seconds, milliseconds or microseconds?'
      : '';
  const error = new ArgusError(
    'INVALID_SPAN',
    `Cannot accept ${subject}: '${field}' is ${ns} (${at}), older than the ${retention.days}-day retention, so it would never be readable${unit}`,
  );
  beyondRetention.add(error);
  throw error;
}

/** Collects rejections for an OTLP partial-success answer: a count and up to 10 distinct messages. */
export class Rejections {
  count = 0;
  readonly #messages = new Set<string>();

  /** Records `count` items rejected for one reason; unexpected errors are reported without their internals. */
  add(error: unknown, count = 1): void {
    this.count += count;
    if (this.#messages.size >= 10) return;
    // Unexpected errors are bugs: the client learns that one item failed, never our internals.
    const message =
      error instanceof ArgusError ? error.message : 'Cannot accept item: internal error while normalizing it';
    this.#messages.add(message);
  }

  get errors(): string[] {
    return [...this.#messages];
  }
}
