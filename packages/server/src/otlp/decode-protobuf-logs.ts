/**
 * OTLP/protobuf decoding of `ExportLogsServiceRequest` (logs/v1/logs.proto, opentelemetry-proto
 * v1.x) to the plain objects of types.ts.
 */
import { emptyResource, emptyScope, maxDepthOf, newAttrMap } from './decode-shared.ts';
import {
  REQUEST_WIRES,
  RESOURCE_LIST_WIRES,
  readAnyValue,
  readKeyValue,
  readResource,
  readScope,
  SCOPE_LIST_WIRES,
} from './protobuf-common.ts';
import { ProtobufReader } from './protobuf-reader.ts';
import { wireTypesOf } from './protobuf-wire.ts';
import type {
  AttrValue,
  DecodeLimits,
  LogsRequest,
  OtlpLogRecord,
  OtlpResourceLogs,
  OtlpScopeLogs,
} from './types.ts';

const LOG_RECORD_WIRES = wireTypesOf([9, 16, 26, 42, 50, 56, 69, 74, 82, 89, 98]);

/** Decodes an OTLP/protobuf `ExportLogsServiceRequest`; throws `OTLP_DECODE` on malformed input. */
export function decodeLogsProtobuf(buf: Uint8Array, limits: DecodeLimits): LogsRequest {
  const r = new ProtobufReader(buf, maxDepthOf(limits));
  const resourceLogs: OtlpResourceLogs[] = [];
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 10) resourceLogs.push(readResourceLogs(r));
    else r.skipField(tag, REQUEST_WIRES, 'ExportLogsServiceRequest');
  }
  return { resourceLogs };
}

function readResourceLogs(r: ProtobufReader): OtlpResourceLogs {
  const outer = r.enter();
  let resource = emptyResource();
  const scopeLogs: OtlpScopeLogs[] = [];
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 10) resource = readResource(r);
    else if (tag === 18 || tag === 8002) scopeLogs.push(readScopeLogs(r));
    else r.skipField(tag, RESOURCE_LIST_WIRES, 'ResourceLogs');
  }
  r.leave(outer);
  return { resource, scopeLogs };
}

function readScopeLogs(r: ProtobufReader): OtlpScopeLogs {
  const outer = r.enter();
  let scope = emptyScope();
  const logRecords: OtlpLogRecord[] = [];
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 18) logRecords.push(readLogRecord(r));
    else if (tag === 10) scope = readScope(r);
    else r.skipField(tag, SCOPE_LIST_WIRES, 'ScopeLogs');
  }
  r.leave(outer);
  return { scope, logRecords };
}

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
