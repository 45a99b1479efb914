/**
 * OTLP/HTTP receivers: `/v1/{traces,logs,metrics}` and the same under `/api/public/otel` (the
 * path Langfuse SDKs use). Each request: overload check → body (limits, decompression) →
 * decode → normalize → enrich → group-commit write → OTLP answer in the request's format.
 */
import type { IncomingMessage } from 'node:http';
import type { Span } from '../../../shared/src/span.ts';
import type { Config } from '../config.ts';
import { ArgusError, isArgusError } from '../errors.ts';
import type { Reply, Router } from '../http/router.ts';
import type { Logger } from '../logger.ts';
import { normalizeLogs, normalizeMetrics, normalizeTraces } from '../normalize/index.ts';
import type { NormalizeContext } from '../normalize/types.ts';
import { decodeLogs, decodeMetrics, decodeTraces } from '../otlp/index.ts';
import type { DecodeLimits } from '../otlp/types.ts';
import type { Store } from '../store/index.ts';
import { readBody } from './body.ts';
import { exportReply, failureReply, type Signal } from './otlp-response.ts';

/** What the OTLP routes need. */
export interface OtlpDeps {
  config: Config;
  store: Store;
  logger: Logger;
  /** Enriches a span in place (pricing, token estimates). */
  enrichSpan: (span: Span) => Span;
  /** The project a request writes to. */
  projectOf: (request: IncomingMessage) => string;
  /** Counters the server exposes. */
  counters: IngestCounters;
}

/** Ingest counters, per signal. */
export interface IngestCounters {
  requests: Record<Signal, number>;
  accepted: Record<Signal, number>;
  rejected: Record<Signal, number>;
  duplicates: Record<Signal, number>;
  failedRequests: Record<string, number>;
}

/** Fresh zeroed counters. */
export function newIngestCounters(): IngestCounters {
  const zero = () => ({ traces: 0, logs: 0, metrics: 0 });
  return { requests: zero(), accepted: zero(), rejected: zero(), duplicates: zero(), failedRequests: {} };
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
      router.on('POST', `${prefix}/v1/${signal}`, ({ request }) => handlers[signal](request));
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
    const { writer } = deps.store;
    if (writer.stats.queuedBytes >= deps.config.writerMaxQueueBytes) {
      request.resume();
      writer.stats.rejectedWrites++;
      throw new ArgusError(
        'OVERLOADED',
        `Cannot accept ${signal} now: the write queue is full; retry later`,
        {
          retryAfterSeconds: 2,
        },
      );
    }
    const body = await readBody(request, deps.config);
    const projectId = deps.projectOf(request);
    const result = await ingest(signal, body, format, projectId, deps);
    deps.counters.accepted[signal] += result.accepted;
    deps.counters.rejected[signal] += result.rejected;
    deps.counters.duplicates[signal] += result.duplicates;
    return exportReply(signal, format, result.rejected, result.errors);
  } catch (error) {
    return fail(deps, format, error);
  }
}

interface IngestOutcome {
  accepted: number;
  rejected: number;
  duplicates: number;
  errors: string[];
}

async function ingest(
  signal: Signal,
  body: Buffer,
  format: 'protobuf' | 'json',
  projectId: string,
  deps: OtlpDeps,
): Promise<IngestOutcome> {
  const limits: DecodeLimits = { maxAttributeDepth: deps.config.maxAttributeDepth };
  const ctx: NormalizeContext = {
    projectId,
    limits: {
      maxAttributeValueChars: deps.config.maxAttributeValueChars,
      maxContentChars: deps.config.maxContentChars,
      maxAttributes: deps.config.maxAttributes,
    },
  };
  if (signal === 'traces') {
    const result = normalizeTraces(decodeTraces(body, format, limits), ctx);
    for (const span of result.spans) deps.enrichSpan(span);
    const written = await deps.store.insertSpans(result.spans);
    return {
      accepted: written.inserted,
      rejected: result.rejected,
      duplicates: written.duplicates,
      errors: result.errors,
    };
  }
  if (signal === 'logs') {
    const result = normalizeLogs(decodeLogs(body, format, limits), ctx);
    const written = await deps.store.insertLogs(result.logs);
    return {
      accepted: written.inserted,
      rejected: result.rejected,
      duplicates: written.duplicates,
      errors: result.errors,
    };
  }
  const result = normalizeMetrics(decodeMetrics(body, format, limits), ctx);
  const written = await deps.store.insertMetricPoints(result.points);
  return {
    accepted: written.inserted,
    rejected: result.rejected,
    duplicates: written.duplicates,
    errors: result.errors,
  };
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
