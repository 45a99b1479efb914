/**
 * OTLP/protobuf decoding of `ExportLogsServiceRequest` (logs/v1/logs.proto, opentelemetry-proto
 * v1.x) to the plain objects of types.ts.
 */
import { newAttrMap } from './decode-shared.ts';
import { readAnyValue, readKeyValue } from './protobuf-common.ts';
import { protobufDecoder } from './protobuf-envelope.ts';
import type { ProtobufReader } from './protobuf-reader.ts';
import { wireTypesOf } from './protobuf-wire.ts';
import type { AttrValue, DecodeLimits, LogsRequest, OtlpLogRecord } from './types.ts';

const LOG_RECORD_WIRES = wireTypesOf([9, 16, 26, 42, 50, 56, 69, 74, 82, 89, 98]);

/** Decodes an OTLP/protobuf `ExportLogsServiceRequest`; throws `OTLP_DECODE` on malformed input. */
export const decodeLogsProtobuf: (buf: Uint8Array, limits: DecodeLimits) => LogsRequest = protobufDecoder(
  ['resourceLogs', 'scopeLogs', 'logRecords'],
  'ExportLogsServiceRequest',
  readLogRecord,
);

function readLogRecord(r: ProtobufReader): OtlpLogRecord {
  const outer = r.enter();
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body: AttrValue = null;
  const attributes = newAttrMap();
  let flags = 0;
  let traceId = '';
  let spanId = '';
  let eventName = '';
  while (r.pos < r.end) {
    const tag = r.uint32();
    switch (tag) {
      case 9: // 1 time_unix_nano
        timeUnixNano = r.fixed64();
        break;
      case 16: // 2 severity_number
        severityNumber = r.uint32() | 0;
        break;
      case 26: // 3 severity_text
        severityText = r.string();
        break;
      case 42: // 5 body
        body = readAnyValue(r, 1);
        break;
      case 50: // 6 attributes
        readKeyValue(r, attributes, 1);
        break;
      case 69: // 8 flags
        flags = r.fixed32();
        break;
      case 74: // 9 trace_id
        traceId = r.hex();
        break;
      case 82: // 10 span_id
        spanId = r.hex();
        break;
      case 89: // 11 observed_time_unix_nano
        observedTimeUnixNano = r.fixed64();
        break;
      case 98: // 12 event_name
        eventName = r.string();
        break;
      default:
        r.skipField(tag, LOG_RECORD_WIRES, 'LogRecord');
    }
  }
  r.leave(outer);
  return {
    timeUnixNano,
    observedTimeUnixNano,
    severityNumber,
    severityText,
    body,
    attributes,
    flags,
    traceId,
    spanId,
    eventName,
  };
}
