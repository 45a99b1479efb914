/**
 * The OTLP decoders: an OTLP/HTTP request body (protobuf or JSON, already inflated) in, the
 * plain objects of types.ts out. Malformed bodies throw an `OTLP_DECODE` ArgusError (HTTP 400).
 */
import { ArgusError } from '../errors.ts';
import { decodeLogsJson, decodeMetricsJson, decodeTracesJson } from './decode-json.ts';
import { decodeLogsProtobuf, decodeMetricsProtobuf, decodeTracesProtobuf } from './decode-protobuf.ts';
import type { DecodeLimits, LogsRequest, MetricsRequest, TracesRequest } from './types.ts';

/** The body encodings OTLP/HTTP defines. */
export type OtlpFormat = 'protobuf' | 'json';

/** Limits used when the configuration sets none. */
export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({ maxAttributeDepth: 16 });

// Non-fatal like the protobuf string decoder: invalid UTF-8 becomes U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Decodes an `ExportTraceServiceRequest` body. */
export function decodeTraces(body: Uint8Array, format: OtlpFormat, limits: DecodeLimits): TracesRequest {
  return format === 'protobuf'
    ? decodeTracesProtobuf(body, limits)
    : decodeTracesJson(jsonText(body), limits);
}

/** Decodes an `ExportLogsServiceRequest` body. */
export function decodeLogs(body: Uint8Array, format: OtlpFormat, limits: DecodeLimits): LogsRequest {
  return format === 'protobuf' ? decodeLogsProtobuf(body, limits) : decodeLogsJson(jsonText(body), limits);
}

/** Decodes an `ExportMetricsServiceRequest` body. */
export function decodeMetrics(body: Uint8Array, format: OtlpFormat, limits: DecodeLimits): MetricsRequest {
  return format === 'protobuf'
    ? decodeMetricsProtobuf(body, limits)
    : decodeMetricsJson(jsonText(body), limits);
}

function jsonText(body: Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch (error) {
    // Only a body over V8's maximum string length (~512 MiB) gets here.
    throw new ArgusError('OTLP_DECODE', `Cannot decode OTLP JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
