/**
 * OTLP/HTTP receivers: `/v1/{traces,logs,metrics}` and the same under `/api/public/otel` (the
 * path Langfuse SDKs use). Each request: overload check → body (limits, decompression) →
 * decode → normalize → enrich → group-commit write → OTLP answer in the request's format.
 */
import type { IncomingMessage } from 'node:http';
import { ArgusError, isArgusError } from '../errors.ts';
import { readBody } from '../http/body.ts';
import type { Reply, Router } from '../http/router.ts';
import type { Logger } from '../logger.ts';
import {
  assertWriteCapacity,
  countOutcome,
  type IngestCounters,
  ingestSignal,
  type WriteDeps,
} from './ingest-signal.ts';
import { exportReply, failureReply, type Signal } from './otlp-response.ts';

/** What the OTLP routes need. */
export interface OtlpDeps extends WriteDeps {
  logger: Logger;
  /** The project a request writes to. */
  projectOf: (request: IncomingMessage) => string;
  /** Counters the server exposes. */
  counters: IngestCounters;
}

/** The wire format of a request, from its Content-Type; undefined when unsupported. */
export function formatOf(contentType: string | undefined): 'protobuf' | 'json' | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** Registers the OTLP receivers on a router. */
export function registerOtlpRoutes(router: Router, deps: OtlpDeps): void {
  const handlers: Record<Signal, (request: IncomingMessage) => Promise<Reply>> = {
    traces: (request) => handle('traces', request, deps),
    logs: (request) => handle('logs', request, deps),
    metrics: (request) => handle('metrics', request, deps),
  };
  for (const prefix of ['', '/api/public/otel']) {
    for (const signal of ['traces', 'logs', 'metrics'] as const) {
      router.on('POST', `${prefix}/v1/${signal}`, 'ingest', ({ request }) => handlers[signal](request));
    }
  }
}

async function handle(signal: Signal, request: IncomingMessage, deps: OtlpDeps): Promise<Reply> {
  deps.counters.requests[signal]++;
  const format = formatOf(request.headers['content-type']);
  if (!format) {
    request.resume();
    return fail(
      deps,
      'json',
      new ArgusError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Cannot accept ${signal}: Content-Type '${request.headers['content-type'] ?? ''}' is not supported, expected application/x-protobuf or application/json`,
      ),
    );
  }
  try {
    assertWriteCapacity(deps, signal, () => request.resume());
    const body = await readBody(request, deps.config, deps.bodyBudget);
    const result = await ingestSignal(signal, body, format, deps.projectOf(request), deps);
    countOutcome(deps.counters, signal, result);
    return exportReply(signal, format, result.rejected, result.errors);
  } catch (error) {
    return fail(deps, format, error);
  }
}

function fail(deps: OtlpDeps, format: 'protobuf' | 'json', error: unknown): Reply {
  const argus = isArgusError(error)
    ? error
    : new ArgusError('INTERNAL', 'Internal error while ingesting; see the server log', { cause: error });
  deps.counters.failedRequests[argus.code] = (deps.counters.failedRequests[argus.code] ?? 0) + 1;
  if (argus.code === 'INTERNAL' || argus.code === 'STORE_UNAVAILABLE') {
    deps.logger.error('ingest failed', { code: argus.code, error: String((error as Error)?.stack ?? error) });
  }
  return failureReply(format, argus.status, argus.code, argus.message, argus.retryAfterSeconds);
}
