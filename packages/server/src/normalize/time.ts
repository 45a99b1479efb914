/**
 * Time helpers: OTLP times are unix nanoseconds (bigint); the canonical span carries ISO 8601
 * strings with all nine fraction digits plus exact decimal strings, and TTFT in milliseconds
 * whatever unit the producer used (rule 3.4.5).
 */
import type { OtlpSpanEvent } from '../otlp/types.ts';
import type { AttrBag } from './attr-bag.ts';
import { toNumber } from './values.ts';

/** Latest time ClickHouse `DateTime64(9)` can hold (2262-04-11T23:47:16.854775807Z). */
export const MAX_UNIX_NANO = 9_223_372_036_854_775_807n;

const NANOS_PER_SECOND = 1_000_000_000n;

// Spans of one request mostly share their start and end seconds: the date-time text of the
// last two seconds seen is built once (a pure function of the second, so the cache changes nothing).
const cachedSeconds: [bigint, bigint] = [-1n, -1n];
const cachedText = ['', ''];
let cacheNext = 0;

/** `2026-11-21T05:03:54.` for the second `seconds` after the epoch. */
function isoSecondPrefix(seconds: bigint): string {
  if (seconds === cachedSeconds[0]) return cachedText[0]!;
  if (seconds === cachedSeconds[1]) return cachedText[1]!;
  const text = new Date(Number(seconds) * 1000).toISOString().slice(0, -4); // …T05:03:54.
  cachedSeconds[cacheNext] = seconds;
  cachedText[cacheNext] = text;
  cacheNext ^= 1;
  return text;
}

/** `2026-11-21T05:03:54.123456789Z` from unix nanoseconds (0 ≤ ns ≤ {@link MAX_UNIX_NANO}). */
export function isoFromUnixNano(ns: bigint): string {
  const seconds = ns / NANOS_PER_SECOND;
  const fraction = (ns % NANOS_PER_SECOND).toString().padStart(9, '0');
  return `${isoSecondPrefix(seconds)}${fraction}Z`;
}

/**
 * Unix nanoseconds from an ISO 8601 string, keeping sub-millisecond digits that `Date.parse`
 * would drop; undefined when it does not parse.
 */
export function unixNanoFromIso(text: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (!Number.isFinite(ms)) return undefined;
  const fraction = BigInt((m[2] ?? '').slice(0, 9).padEnd(9, '0'));
  return BigInt(ms) * 1_000_000n + fraction;
}

/** Milliseconds between two nanosecond times, as a float. */
export function msBetween(start: bigint, end: bigint): number {
  return Number(end - start) / 1e6;
}

/** Names of span events that mark the first streamed token/chunk. */
const FIRST_CHUNK_EVENTS = new Set(['ai.stream.firstChunk', 'First Token Stream Event', 'new_token']);

function ttftFromCompletionStart(attrs: AttrBag, startNs: bigint): number | undefined {
  const raw = attrs.get('langfuse.observation.completion_start_time');
  if (typeof raw !== 'string') return undefined;
  // Older Langfuse SDKs double-JSON-encode it ("\"2026-…Z\"").
  const ns = unixNanoFromIso(raw.replace(/^"+|"+$/g, ''));
  if (ns === undefined) return undefined;
  attrs.consume('langfuse.observation.completion_start_time');
  return msBetween(startNs, ns);
}

function ttftFromEvents(events: readonly OtlpSpanEvent[], startNs: bigint): number | undefined {
  const first = events.find((e) => FIRST_CHUNK_EVENTS.has(e.name));
  if (first === undefined) return undefined;
  const attr = first.attributes;
  const reported = toNumber(attr['ai.response.msToFirstChunk'] ?? attr['ai.stream.msToFirstChunk']);
  return reported ?? (first.timeUnixNano > 0n ? msBetween(startNs, first.timeUnixNano) : undefined);
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

/**
 * Time to first token in ms: Langfuse completion start > OTel/OpenLIT/Vercel-otel seconds >
 * Vercel legacy milliseconds > a first-chunk span event. Negative values are dropped.
 */
export function mapTtft(
  attrs: AttrBag,
  events: readonly OtlpSpanEvent[],
  startNs: bigint,
): number | undefined {
  const ttft =
    ttftFromCompletionStart(attrs, startNs) ??
    secondsToMs(
      attrs.pick(
        [
          'gen_ai.response.time_to_first_chunk',
          'gen_ai.server.time_to_first_token',
          'gen_ai.client.operation.time_to_first_chunk',
        ],
        toNumber,
      ),
    ) ??
    attrs.pick(['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk'], toNumber) ??
    ttftFromEvents(events, startNs);
  return ttft !== undefined && Number.isFinite(ttft) && ttft >= 0 ? ttft : undefined;
}

/**
 * Output tokens per second: over the generation time (duration − TTFT) when the call streamed
 * and TTFT is known, else over the whole duration; undefined without output or time.
 */
export function tokensPerSecond(
  outputTokens: number,
  durationMs: number,
  ttftMs: number | undefined,
): number | undefined {
  if (outputTokens <= 0 || durationMs <= 0) return undefined;
  const generationMs = ttftMs !== undefined && durationMs - ttftMs > 0 ? durationMs - ttftMs : durationMs;
  const rate = outputTokens / (generationMs / 1000);
  return Number.isFinite(rate) ? rate : undefined;
}
