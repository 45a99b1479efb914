/**
 * OTLP/protobuf decoding straight from bytes to the plain objects of types.ts, without an
 * intermediate generated message tree; this file has traces (trace/v1/trace.proto of
 * opentelemetry-proto v1.x) and re-exports the logs and metrics decoders.
 */
import { newAttrMap } from './decode-shared.ts';
import { readKeyValue } from './protobuf-common.ts';
import { protobufDecoder } from './protobuf-envelope.ts';
import type { ProtobufReader } from './protobuf-reader.ts';
import { wireTypesOf } from './protobuf-wire.ts';
import type { DecodeLimits, OtlpLink, OtlpSpan, OtlpSpanEvent, OtlpStatus, TracesRequest } from './types.ts';

export { decodeLogsProtobuf } from './decode-protobuf-logs.ts';
export { decodeMetricsProtobuf } from './decode-protobuf-metrics.ts';

const SPAN_WIRES = wireTypesOf([10, 18, 26, 34, 42, 48, 57, 65, 74, 80, 90, 96, 106, 112, 122, 133]);
const EVENT_WIRES = wireTypesOf([9, 18, 26, 32]);
const LINK_WIRES = wireTypesOf([10, 18, 26, 34, 40, 53]);
const STATUS_WIRES = wireTypesOf([18, 24]);

/** Decodes an OTLP/protobuf `ExportTraceServiceRequest`; throws `OTLP_DECODE` on malformed input. */
export const decodeTracesProtobuf: (buf: Uint8Array, limits: DecodeLimits) => TracesRequest = protobufDecoder(
  ['resourceSpans', 'scopeSpans', 'spans'],
  'ExportTraceServiceRequest',
  readSpan,
);

function readSpan(r: ProtobufReader): OtlpSpan {
  const outer = r.enter();
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  const attributes = newAttrMap();
  const events: OtlpSpanEvent[] = [];
  const links: OtlpLink[] = [];
  let status: OtlpStatus | undefined;
  let flags = 0;
  while (r.pos < r.end) {
    const tag = r.uint32();
    switch (tag) {
      case 10: // 1 trace_id
        traceId = r.hex();
        break;
      case 18: // 2 span_id
        spanId = r.hex();
        break;
      case 26: // 3 trace_state
        traceState = r.string();
        break;
      case 34: // 4 parent_span_id
        parentSpanId = r.hex();
        break;
      case 42: // 5 name
        name = r.string();
        break;
      case 48: // 6 kind
        kind = r.uint32() | 0;
        break;
      case 57: // 7 start_time_unix_nano
        startTimeUnixNano = r.fixed64();
        break;
      case 65: // 8 end_time_unix_nano
        endTimeUnixNano = r.fixed64();
        break;
      case 74: // 9 attributes
        readKeyValue(r, attributes, 1);
        break;
      case 90: // 11 events
        events.push(readEvent(r));
        break;
      case 106: // 13 links
        links.push(readLink(r));
        break;
      case 122: // 15 status
        status = readStatus(r);
        break;
      case 133: // 16 flags
        flags = r.fixed32();
        break;
      default: // dropped_* counts (10, 12, 14) are not kept
        r.skipField(tag, SPAN_WIRES, 'Span');
    }
  }
  r.leave(outer);
  return {
    traceId,
    spanId,
    parentSpanId,
    traceState,
    name,
    kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    events,
    links,
    status: status ?? { code: 0, message: '' },
    flags,
  };
}

function readEvent(r: ProtobufReader): OtlpSpanEvent {
  const outer = r.enter();
  let timeUnixNano = 0n;
  let name = '';
  const attributes = newAttrMap();
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 9) timeUnixNano = r.fixed64();
    else if (tag === 18) name = r.string();
    else if (tag === 26) readKeyValue(r, attributes, 1);
    else r.skipField(tag, EVENT_WIRES, 'Span.Event');
  }
  r.leave(outer);
  return { timeUnixNano, name, attributes };
}

function readLink(r: ProtobufReader): OtlpLink {
  const outer = r.enter();
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes = newAttrMap();
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 10) traceId = r.hex();
    else if (tag === 18) spanId = r.hex();
    else if (tag === 26) traceState = r.string();
    else if (tag === 34) readKeyValue(r, attributes, 1);
    else r.skipField(tag, LINK_WIRES, 'Span.Link');
  }
  r.leave(outer);
  return { traceId, spanId, traceState, attributes };
}

function readStatus(r: ProtobufReader): OtlpStatus {
  const outer = r.enter();
  let code = 0;
  let message = '';
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 24) code = r.uint32() | 0;
    else if (tag === 18) message = r.string();
    else r.skipField(tag, STATUS_WIRES, 'Status');
  }
  r.leave(outer);
  return { code, message };
}
