/**
 * OTLP/JSON decoding (proto3 JSON mapping with the OTLP deviations of
 * opentelemetry-proto docs/specification.md) to the same plain objects as the protobuf decoder.
 * Lenient where senders differ (snake_case keys, base64 ids, enum names, int64 as number or
 * string); strict about structure, naming the path of the first value of the wrong type.
 */
import { anyValue, attributesOf } from './json-attributes.ts';
import { jsonDecoder } from './json-envelope.ts';
import {
  enumField,
  field,
  idField,
  intField,
  type JsonObject,
  JsonShapeError,
  objectField,
  readList,
  stringField,
  timeField,
  within,
} from './json-values.ts';
import type {
  DecodeLimits,
  LogsRequest,
  OtlpLink,
  OtlpLogRecord,
  OtlpResourceSpans,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpStatus,
  TracesRequest,
} from './types.ts';

export { decodeMetricsJson } from './decode-json-metrics.ts';

const SPAN_KINDS: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Readonly<Record<string, number>> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};
const SEVERITY_NUMBERS = severityNumbers();

function severityNumbers(): Readonly<Record<string, number>> {
  const names: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
  for (const [i, level] of ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].entries()) {
    names[`SEVERITY_NUMBER_${level}`] = i * 4 + 1;
    for (let n = 2; n <= 4; n++) names[`SEVERITY_NUMBER_${level}${n}`] = i * 4 + n;
  }
  return names;
}

const decodeTraces = jsonDecoder(['resourceSpans', 'scopeSpans', 'spans'], readSpanAlone);

/** Decodes an OTLP/JSON `ExportTraceServiceRequest`; throws `OTLP_DECODE` naming the bad path. */
export function decodeTracesJson(text: string, limits: DecodeLimits): TracesRequest {
  const request = decodeTraces(text, limits);
  nameUnreadableSpans(request.resourceSpans);
  return request;
}

/** Puts the full path of each unreadable span in its reason (`resourceSpans[0].scopeSpans[1].spans[2]…`). */
function nameUnreadableSpans(resourceSpans: OtlpResourceSpans[]): void {
  for (const [r, rs] of resourceSpans.entries()) {
    for (const [s, ss] of rs.scopeSpans.entries()) {
      for (const [i, span] of ss.spans.entries()) {
        if (span.unreadable === undefined) continue;
        span.unreadable = `Cannot accept span: 'resourceSpans[${r}].scopeSpans[${s}].spans[${i}].${span.unreadable}`;
      }
    }
  }
}

/** Decodes an OTLP/JSON `ExportLogsServiceRequest`; throws `OTLP_DECODE` naming the bad path. */
export const decodeLogsJson: (text: string, limits: DecodeLimits) => LogsRequest = jsonDecoder(
  ['resourceLogs', 'scopeLogs', 'logRecords'],
  readLogRecord,
);

/**
 * A span whose own fields are malformed is answered as a rejected span (OTLP partial success), not
 * by refusing the request: the protobuf path and bad ids already worked so.
 */
function readSpanAlone(o: JsonObject, maxDepth: number): OtlpSpan {
  try {
    return readSpan(o, maxDepth);
  } catch (error) {
    if (!(error instanceof JsonShapeError)) throw error;
    // The path inside the span; nameUnreadableSpans puts the span's place in front.
    const path = error.path.join('.').replaceAll('.[', '[');
    return { ...UNREADABLE_SPAN, attributes: Object.create(null), unreadable: `${path}' ${error.message}` };
  }
}

const UNREADABLE_SPAN: OtlpSpan = {
  traceId: '',
  spanId: '',
  parentSpanId: '',
  traceState: '',
  name: '',
  kind: 0,
  startTimeUnixNano: 0n,
  endTimeUnixNano: 0n,
  attributes: Object.create(null),
  events: [],
  links: [],
  status: { code: 0, message: '' },
  flags: 0,
};

function readSpan(o: JsonObject, maxDepth: number): OtlpSpan {
  return {
    traceId: idField(field(o, 'traceId', 'trace_id'), 'traceId'),
    spanId: idField(field(o, 'spanId', 'span_id'), 'spanId'),
    parentSpanId: idField(field(o, 'parentSpanId', 'parent_span_id'), 'parentSpanId'),
    traceState: stringField(field(o, 'traceState', 'trace_state'), 'traceState'),
    name: stringField(o.name, 'name'),
    kind: enumField(o.kind, 'kind', SPAN_KINDS),
    startTimeUnixNano: timeField(field(o, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano'),
    endTimeUnixNano: timeField(field(o, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano'),
    attributes: attributesOf(o, maxDepth),
    events: readList(o.events, 'events', maxDepth, readEvent),
    links: readList(o.links, 'links', maxDepth, readLink),
    status: readStatus(o.status),
    flags: intField(o.flags, 'flags') >>> 0,
  };
}

function readEvent(o: JsonObject, maxDepth: number): OtlpSpanEvent {
  return {
    timeUnixNano: timeField(field(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    name: stringField(o.name, 'name'),
    attributes: attributesOf(o, maxDepth),
  };
}

function readLink(o: JsonObject, maxDepth: number): OtlpLink {
  return {
    traceId: idField(field(o, 'traceId', 'trace_id'), 'traceId'),
    spanId: idField(field(o, 'spanId', 'span_id'), 'spanId'),
    traceState: stringField(field(o, 'traceState', 'trace_state'), 'traceState'),
    attributes: attributesOf(o, maxDepth),
  };
}

function readStatus(value: unknown): OtlpStatus {
  const status = objectField(value, 'status');
  if (status === undefined) return { code: 0, message: '' };
  try {
    return {
      code: enumField(status.code, 'code', STATUS_CODES),
      message: stringField(status.message, 'message'),
    };
  } catch (error) {
    within(error, 'status');
  }
}

function readLogRecord(o: JsonObject, maxDepth: number): OtlpLogRecord {
  let body: OtlpLogRecord['body'];
  try {
    body = anyValue(o.body, 1, maxDepth);
  } catch (error) {
    within(error, 'body');
  }
  return {
    timeUnixNano: timeField(field(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    observedTimeUnixNano: timeField(
      field(o, 'observedTimeUnixNano', 'observed_time_unix_nano'),
      'observedTimeUnixNano',
    ),
    severityNumber: enumField(
      field(o, 'severityNumber', 'severity_number'),
      'severityNumber',
      SEVERITY_NUMBERS,
    ),
    severityText: stringField(field(o, 'severityText', 'severity_text'), 'severityText'),
    body,
    attributes: attributesOf(o, maxDepth),
    flags: intField(o.flags, 'flags') >>> 0,
    traceId: idField(field(o, 'traceId', 'trace_id'), 'traceId'),
    spanId: idField(field(o, 'spanId', 'span_id'), 'spanId'),
    eventName: stringField(field(o, 'eventName', 'event_name'), 'eventName'),
  };
}
