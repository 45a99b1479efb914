/**
 * OTLP/gRPC receiver on `node:http2` (cleartext, prior knowledge, as gRPC clients speak it):
 * the unary `Export` methods of the trace, logs and metrics collector services. Each call
 * shares the OTLP/HTTP path after the framing: overload check → bounded message → decode →
 * normalize → enrich → group-commit write → `Export*ServiceResponse` with partial success.
 */
import http2, { type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { ArgusError, isArgusError } from '../errors.ts';
import {
  assertWriteCapacity,
  countOutcome,
  type IngestCounters,
  ingestSignal,
  type WriteDeps,
} from '../ingest/ingest-signal.ts';
import { encodeExportResponse, grpcCodeOf, type Signal } from '../ingest/otlp-response.ts';
import type { Logger } from '../logger.ts';
import { encodeFrame, encodeGrpcMessage, FrameReader, GRPC_ENCODINGS, messageBytes } from './frames.ts';

/** What the gRPC receiver needs. */
export interface GrpcDeps extends WriteDeps {
  logger: Logger;
  /** The project a call writes to, from its metadata (headers). */
  /** Authenticates the call's metadata for ingest and answers its project. */
  projectOf: (headers: IncomingHttpHeaders) => Promise<string> | string;
  counters: IngestCounters;
}

/** A running gRPC receiver. */
export interface GrpcServer {
  /** `http://host:port`, the value for `OTEL_EXPORTER_OTLP_ENDPOINT` with the gRPC protocol. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting calls, lets running calls finish (up to `graceMs`), then closes connections. */
  close(graceMs?: number): Promise<void>;
}

/** Service method paths → signal. */
const METHODS: Record<string, Signal> = {
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export': 'traces',
  '/opentelemetry.proto.collector.logs.v1.LogsService/Export': 'logs',
  '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export': 'metrics',
};

/** gRPC status codes used here. */
const GRPC = { OK: 0, INVALID_ARGUMENT: 3, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14 } as const;

/** Starts the receiver on `host:port`; resolves once it listens. */
export async function startGrpcServer(host: string, port: number, deps: GrpcDeps): Promise<GrpcServer> {
  const sessions = new Set<ServerHttp2Session>();
  let inFlight = 0;
  let closing = false;
  const server = http2.createServer({ settings: { maxConcurrentStreams: 256 } });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {}); // a peer that vanishes mid-call is not our error
  });
  server.on('stream', (stream, headers) => {
    inFlight++;
    stream.on('close', () => inFlight--);
    stream.on('error', () => {});
    if (closing) {
      respondError(stream, GRPC.UNAVAILABLE, 'The server is shutting down; retry later');
      return;
    }
    void handleCall(stream, headers, deps);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close(graceMs = 10_000) {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const session of sessions) session.close(); // GOAWAY: running streams may finish
        const deadline = Date.now() + graceMs;
        while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        for (const session of sessions) session.destroy();
        await stopped;
      })();
      return closed;
    },
  };
}

async function handleCall(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  deps: GrpcDeps,
): Promise<void> {
  const contentType = String(headers['content-type'] ?? '');
  if (headers[':method'] !== 'POST' || !contentType.startsWith('application/grpc')) {
    // Not a gRPC call at all: plain HTTP semantics (gRPC spec: 415 for a wrong content type).
    stream.respond({ ':status': headers[':method'] === 'POST' ? 415 : 405 }, { endStream: true });
    return;
  }
  const signal = METHODS[String(headers[':path'] ?? '')];
  if (signal === undefined) {
    drain(stream);
    respondError(stream, GRPC.UNIMPLEMENTED, `Method '${headers[':path']}' is not implemented`);
    return;
  }
  deps.counters.requests[signal]++;
  try {
    const projectId = await deps.projectOf(headers);
    assertWriteCapacity(deps, signal, () => drain(stream));
    const frame = await readFrame(stream, deps.config.maxBodyBytes);
    const encoding = String(headers['grpc-encoding'] ?? 'identity').toLowerCase();
    const message = await messageBytes(frame, encoding, deps.config.maxDecompressedBytes, deps.bodyBudget);
    const result = await ingestSignal(signal, message, 'protobuf', projectId, deps);
    countOutcome(deps.counters, signal, result);
    respondOk(stream, encodeExportResponse(result.rejected, result.errors.join('; ')));
  } catch (error) {
    failCall(stream, error, deps);
  }
}

/** Reads the one message of a unary call; rejects as soon as the limit is passed. */
function readFrame(stream: ServerHttp2Stream, maxBytes: number) {
  const reader = new FrameReader(maxBytes);
  return new Promise<ReturnType<FrameReader['finish']>>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      drain(stream);
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        reader.push(chunk);
      } catch (error) {
        fail(error);
      }
    });
    stream.on('end', () => {
      if (failed) return;
      try {
        resolve(reader.finish());
      } catch (error) {
        fail(error);
      }
    });
    stream.on('aborted', () =>
      fail(new ArgusError('BAD_REQUEST', 'Cannot read gRPC request: the client cancelled it')),
    );
  });
}

/** Discards what is left of the request body. */
function drain(stream: ServerHttp2Stream): void {
  stream.removeAllListeners('data');
  stream.resume();
}

function baseHeaders(): Record<string, string | number> {
  return {
    ':status': 200,
    'content-type': 'application/grpc+proto',
    'grpc-accept-encoding': GRPC_ENCODINGS.join(','),
  };
}

function respondOk(stream: ServerHttp2Stream, message: Buffer): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond(baseHeaders(), { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(GRPC.OK) }));
  stream.end(encodeFrame(message));
}

/** A Trailers-Only response: status and message in the one HEADERS frame. */
function respondError(stream: ServerHttp2Stream, code: number, message: string, retryAfterMs?: number): void {
  if (stream.destroyed || stream.headersSent) return;
  const headers: Record<string, string | number> = {
    ...baseHeaders(),
    'grpc-status': String(code),
    'grpc-message': encodeGrpcMessage(message),
  };
  if (retryAfterMs !== undefined) headers['grpc-retry-pushback-ms'] = String(retryAfterMs);
  stream.respond(headers, { endStream: true });
}

function failCall(stream: ServerHttp2Stream, error: unknown, deps: GrpcDeps): void {
  const argus = isArgusError(error)
    ? error
    : new ArgusError('INTERNAL', 'Internal error while ingesting; see the server log', { cause: error });
  deps.counters.failedRequests[argus.code] = (deps.counters.failedRequests[argus.code] ?? 0) + 1;
  if (argus.code === 'INTERNAL' || argus.code === 'STORE_UNAVAILABLE') {
    deps.logger.error('gRPC ingest failed', {
      code: argus.code,
      error: String((error as Error)?.stack ?? error),
    });
  }
  const retryMs = argus.retryAfterSeconds === undefined ? undefined : argus.retryAfterSeconds * 1000;
  respondError(stream, grpcCodeOf(argus.status), argus.message, retryMs);
}
