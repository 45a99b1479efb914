/**
 * Checks that make a span unstorable: ids of the wrong size, all-zero ids, and times outside
 * what the store can hold. Anything milder is repaired by the mapping and flagged instead.
 */
import { ArgusError } from '../errors.ts';
import { MAX_UNIX_NANO } from './time.ts';

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

/** Collects rejections for an OTLP partial-success answer: a count and up to 10 distinct messages. */
export class Rejections {
  count = 0;
  readonly #messages = new Set<string>();

  /** Records one rejected item; unexpected errors are reported without their internals. */
  add(error: unknown): void {
    this.count++;
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
