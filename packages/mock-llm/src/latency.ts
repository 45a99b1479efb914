/**
 * Per-request delays, for tests of timeouts, fallbacks and keep-alive: `x-mock-latency-ms: N`
 * delays the start of the answer (headers included) by N ms, on top of the server's `latencyMs`;
 * `x-mock-chunk-delay-ms: N` sets the wait between streamed events of this request.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The request header that delays the answer's start. */
export const LATENCY_HEADER = 'x-mock-latency-ms';
/** The request header that sets this request's delay between streamed events. */
export const CHUNK_DELAY_HEADER = 'x-mock-chunk-delay-ms';

/** Longest delay a header may ask for (a test must not hang the mock). */
const MAX_DELAY_MS = 120_000;

/** The delay a header asks for, ms; undefined when absent or not a whole number in 0–120,000. */
export function delayHeader(headers: IncomingHttpHeaders, name: string): number | undefined {
  const raw = headers[name];
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw.trim())) return undefined;
  const ms = Number(raw.trim());
  return ms <= MAX_DELAY_MS ? ms : undefined;
}
