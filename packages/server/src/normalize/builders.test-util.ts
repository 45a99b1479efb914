/**
 * Builders for normalizer tests: decoded OTLP objects written as plain object literals.
 * (Not a test file itself: vitest only collects `*.test.ts`.)
 */
import type {
  AttrMap,
  AttrValue,
  LogsRequest,
  OtlpLogRecord,
  OtlpSpan,
  OtlpSpanEvent,
  TracesRequest,
} from '../otlp/types.ts';
import type { SpanInput } from './span.ts';
import { DEFAULT_NORMALIZE_LIMITS, type NormalizeContext } from './types.ts';

/** Normalize context with the default limits. */
export const CTX: NormalizeContext = { projectId: 'proj-1', limits: { ...DEFAULT_NORMALIZE_LIMITS } };

/** A fixed start time: 2026-11-21T05:03:54.123456789Z. */
export const START_NS = 1_795_237_434_123_456_789n;

/** An attribute map with a null prototype, as the decoders create them. */
export function attrs(values: Record<string, AttrValue>): AttrMap {
  const out = Object.create(null) as AttrMap;
  for (const [k, v] of Object.entries(values)) out[k] = v;
  return out;
}

/** A span event at `offsetMs` after {@link START_NS}. */
export function event(name: string, values: Record<string, AttrValue> = {}, offsetMs = 0): OtlpSpanEvent {
  return { name, timeUnixNano: START_NS + BigInt(Math.round(offsetMs * 1e6)), attributes: attrs(values) };
}

/** Options of {@link spanInput}. */
export interface SpanOptions extends Partial<Omit<OtlpSpan, 'attributes'>> {
  scope?: string;
  resource?: Record<string, AttrValue>;
  durationMs?: number;
}

/** A valid span (ids, 1 s duration, status ok) with the given attributes. */
export function spanInput(values: Record<string, AttrValue>, options: SpanOptions = {}): SpanInput {
  const { scope = 'test-scope', resource = { 'service.name': 'svc' }, durationMs = 1000, ...rest } = options;
  const span: OtlpSpan = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '',
    traceState: '',
    name: 'span',
    kind: 1,
    startTimeUnixNano: START_NS,
    endTimeUnixNano: START_NS + BigInt(durationMs * 1e6),
    events: [],
    links: [],
    status: { code: 1, message: '' },
    flags: 0,
    ...rest,
    attributes: attrs(values),
  };
  return { span, resource: attrs(resource), scope: { name: scope, version: '', attributes: attrs({}) } };
}

/** A traces request holding the given span inputs (each under its own resource/scope). */
export function tracesRequest(...inputs: SpanInput[]): TracesRequest {
  return {
    resourceSpans: inputs.map((i) => ({
      resource: { attributes: i.resource },
      scopeSpans: [{ scope: i.scope, spans: [i.span] }],
    })),
  };
}

/** A log record tied to the default span of {@link spanInput}. */
export function logRecord(
  eventName: string,
  body: AttrValue,
  values: Record<string, AttrValue> = {},
  offsetMs = 0,
): OtlpLogRecord {
  const time = START_NS + BigInt(Math.round(offsetMs * 1e6));
  return {
    timeUnixNano: time,
    observedTimeUnixNano: time,
    severityNumber: 9,
    severityText: 'INFO',
    body,
    attributes: attrs(values),
    flags: 1,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    eventName,
  };
}

/** A logs request with one resource and scope. */
export function logsRequest(...records: OtlpLogRecord[]): LogsRequest {
  return {
    resourceLogs: [
      {
        resource: { attributes: attrs({ 'service.name': 'svc' }) },
        scopeLogs: [
          { scope: { name: 'test-scope', version: '', attributes: attrs({}) }, logRecords: records },
        ],
      },
    ],
  };
}

/** Plain JSON copy (drops null prototypes and undefined) so assertions compare data only. */
export function plain<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as T;
}

/** A text message. */
export function text(role: string, content: string, finishReason?: string) {
  return finishReason === undefined
    ? { role, parts: [{ type: 'text', content }] }
    : { role, parts: [{ type: 'text', content }], finishReason };
}
