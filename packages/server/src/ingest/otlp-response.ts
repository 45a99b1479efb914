/**
 * OTLP answers in the request's own content type: Export*ServiceResponse with partial success,
 * and google.rpc.Status for failures (protobuf or JSON).
 */
import type { Reply } from '../http/router.ts';

/** Which signal a response belongs to; picks the partial-success field name. */
export type Signal = 'traces' | 'logs' | 'metrics';

const REJECTED_FIELD: Record<Signal, string> = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
};

/** gRPC status codes for HTTP failures (google.rpc.Code). */
const GRPC_CODE: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3,
  429: 8,
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

/** The gRPC status code (google.rpc.Code) for an HTTP status; 2 UNKNOWN when there is none. */
export function grpcCodeOf(httpStatus: number): number {
  return GRPC_CODE[httpStatus] ?? 2;
}

function varint(value: number, out: number[]): void {
  let v = Math.max(0, Math.floor(value));
  while (v > 0x7f) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function lengthDelimited(field: number, bytes: Uint8Array, out: number[]): void {
  out.push((field << 3) | 2);
  varint(bytes.length, out);
  for (const b of bytes) out.push(b);
}

/** Export<Signal>ServiceResponse { partial_success = 1 { rejected = 1 (int64), error_message = 2 } }. */
export function encodeExportResponse(rejected: number, errorMessage: string): Buffer {
  if (rejected === 0 && errorMessage === '') return Buffer.alloc(0);
  const inner: number[] = [];
  if (rejected > 0) {
    inner.push(1 << 3);
    varint(rejected, inner);
  }
  if (errorMessage) lengthDelimited(2, Buffer.from(errorMessage), inner);
  const out: number[] = [];
  lengthDelimited(1, Uint8Array.from(inner), out);
  return Buffer.from(out);
}

/** google.rpc.Status { code = 1 (int32), message = 2 }. */
export function encodeStatus(code: number, message: string): Buffer {
  const out: number[] = [1 << 3];
  varint(code, out);
  lengthDelimited(2, Buffer.from(message), out);
  return Buffer.from(out);
}

/** A 200 OTLP answer, with partial success when some items were rejected. */
export function exportReply(
  signal: Signal,
  format: 'protobuf' | 'json',
  rejected: number,
  errors: string[],
): Reply {
  const message = errors.join('; ');
  if (format === 'protobuf') {
    return {
      status: 200,
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeExportResponse(rejected, message),
    };
  }
  const body =
    rejected > 0 || message
      ? { partialSuccess: { [REJECTED_FIELD[signal]]: String(rejected), errorMessage: message } }
      : {};
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A failure answer: google.rpc.Status in protobuf, or JSON carrying both Status and the Argus error. */
export function failureReply(
  format: 'protobuf' | 'json',
  status: number,
  code: string,
  message: string,
  retryAfterSeconds?: number,
): Reply {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  const grpc = grpcCodeOf(status);
  if (format === 'protobuf') {
    headers['content-type'] = 'application/x-protobuf';
    return { status, headers, body: encodeStatus(grpc, message) };
  }
  headers['content-type'] = 'application/json';
  return { status, headers, body: JSON.stringify({ code: grpc, message, error: { code, message } }) };
}
