/**
 * The LangSmith run API (conventions.md §5.1), so the `langsmith` SDKs trace to Argus with
 * `LANGSMITH_ENDPOINT=http://host:4318` (or `…/api/v1`, the self-hosted form): `GET /info`,
 * `POST /runs`, `PATCH /runs/:runId`, `POST /runs/batch`, `POST /runs/multipart`. Runs become
 * canonical spans (see normalize-run.ts); a run posted then patched is one span (run-ingest.ts).
 * `session_name` (the LangSmith project) becomes the service name; everything is written to the
 * Argus project of the request (`default` until governance).
 */
import type { IncomingMessage } from 'node:http';
import { ArgusError } from '../errors.ts';
import { readBody } from '../http/body.ts';
import { readJsonValue } from '../http/json-body.ts';
import type { Reply, Router } from '../http/router.ts';
import { assertWriteCapacity, type IngestCounters, type WriteDeps } from '../ingest/ingest-signal.ts';
import type { Logger } from '../logger.ts';
import { isRecord } from '../normalize/values.ts';
import { ARGUS_VERSION } from '../version.ts';
import { insertFeedback } from './feedback.ts';
import { registerFeedbackRoutes } from './feedback-route.ts';
import { boundaryOf, parseMultipart } from './multipart.ts';
import { runsFromParts } from './multipart-runs.ts';
import type { PendingLimits } from './pending-runs.ts';
import { checkRun } from './run.ts';
import { DEFAULT_PENDING_LIMITS, type RunBatch, type RunCounters, RunIngestor } from './run-ingest.ts';

/** What the run API needs. */
export interface LangsmithDeps extends WriteDeps {
  logger: Logger;
  projectOf: (request: IncomingMessage) => string;
  /** Runs count as trace requests/spans in the server's ingest counters. */
  counters: IngestCounters;
  /** Bounds of the map of runs waiting for their update. */
  pending?: Partial<PendingLimits>;
}

/** The registered run API. */
export interface LangsmithReceiver {
  readonly counters: RunCounters & { attachments: number; feedback: number; ignoredParts: number };
  /** Runs waiting for their update. */
  readonly heldRuns: number;
  /** Writes held runs whose time is up (also runs on a timer). */
  sweep(now?: number): Promise<number>;
  /** Stops the timer and writes every held run as incomplete. */
  close(): Promise<void>;
}

/** What `GET /info` answers; batches of four fifths of the body limit leave room for the multipart framing. */
function infoOf(deps: LangsmithDeps) {
  return {
    version: ARGUS_VERSION,
    license_expiration_time: null,
    batch_ingest_config: {
      use_multipart_endpoint: true,
      size_limit: 100,
      size_limit_bytes: Math.floor(deps.config.maxBodyBytes * 0.8),
      scale_up_qsize_trigger: 1000,
      scale_up_nthreads_limit: 16,
      scale_down_nempty_trigger: 4,
    },
    // Request bodies may be gzip (JS SDK) or zstd (Python SDK) compressed: readBody inflates both.
    instance_flags: { gzip_body_enabled: true, zstd_compression_enabled: true },
    customer_info: null,
    tenant_handle: null,
  };
}

/** `x-api-key` must be present (any value until governance); `Authorization` is accepted too. */
function authenticate(request: IncomingMessage): void {
  if (request.headers['x-api-key'] || request.headers.authorization) return;
  request.resume();
  throw new ArgusError('UNAUTHORIZED', 'Cannot accept runs: the x-api-key header is missing');
}

/** A JSON body within the ingest limits and byte budget; a body that is not JSON is INVALID_RUN. */
function readJson(request: IncomingMessage, deps: LangsmithDeps): Promise<unknown> {
  return readJsonValue(request, 'runs', {
    doing: 'Cannot accept runs',
    limits: deps.config,
    budget: deps.bodyBudget,
    notJsonCode: 'INVALID_RUN',
  });
}

function listOf(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw new ArgusError('INVALID_RUN', `Cannot accept runs: '${field}' is not a list`);
}

/** Counts of what the run API drops or turns into scores, beside the ingestor's own. */
interface ExtraCounters {
  attachments: number;
  feedback: number;
  ignoredParts: number;
}

/** Registers the run API under `/` and `/api/v1`; returns its handle for shutdown. */
export function registerLangsmithRoutes(router: Router, deps: LangsmithDeps): LangsmithReceiver {
  const limits = { ...DEFAULT_PENDING_LIMITS, ...deps.pending };
  const ingestor = new RunIngestor(deps, limits);
  const extra: ExtraCounters = { attachments: 0, feedback: 0, ignoredParts: 0 };
  const timer = setInterval(() => void ingestor.sweep(), Math.min(limits.ttlMs / 4, 30_000));
  timer.unref();
  const accept = acceptorOf(deps, ingestor, extra);
  for (const prefix of ['', '/api/v1']) registerRunRoutes(router, { prefix, deps, accept, extra });
  // LangSmith's `client.createFeedback` / `create_feedback`: one feedback object per request.
  registerFeedbackRoutes(router, deps);

  return {
    get counters() {
      return { ...ingestor.counters, ...extra };
    },
    get heldRuns() {
      return ingestor.heldRuns;
    },
    sweep: (now) => ingestor.sweep(now),
    async close() {
      clearInterval(timer);
      await ingestor.drain();
    },
  };
}

/** Accepts one write request: `read` turns its body into runs (and feedback). */
type Accept = (
  request: IncomingMessage,
  read: () => Promise<RunBatch & { feedback?: Record<string, unknown>[] }>,
  conflictIsError?: boolean,
) => Promise<Reply>;

/** Shared steps of every write route: auth, overload check, ingest, counters. */
function acceptorOf(deps: LangsmithDeps, ingestor: RunIngestor, extra: ExtraCounters): Accept {
  return async (request, read, conflictIsError = false) => {
    authenticate(request);
    deps.counters.requests.traces++;
    assertWriteCapacity(deps, 'runs', () => request.resume());
    const batch = await read();
    const projectId = deps.projectOf(request);
    const result = await ingestor.ingest(projectId, batch);
    if (batch.feedback !== undefined)
      extra.feedback += await insertFeedback(deps.store, projectId, batch.feedback);
    deps.counters.accepted.traces += result.written;
    deps.counters.duplicates.traces += result.duplicates;
    deps.counters.rejected.traces += result.rejected;
    if (conflictIsError && result.duplicates > 0) {
      throw new ArgusError('CONFLICT', `Cannot create run '${batch.posts[0]?.id}': it already exists`);
    }
    // Runs skipped alone are named the way OTLP names rejected spans; LangSmith SDKs ignore the body.
    if (result.rejected > 0) {
      return {
        status: 202,
        body: { partialSuccess: { rejectedRuns: result.rejected, errorMessage: result.errors.join('; ') } },
      };
    }
    return { status: 202, body: {} };
  };
}

/** `GET /info` and the four run write routes under one prefix. */
function registerRunRoutes(
  router: Router,
  {
    prefix,
    deps,
    accept,
    extra,
  }: { prefix: string; deps: LangsmithDeps; accept: Accept; extra: ExtraCounters },
): void {
  router.on('GET', `${prefix}/info`, 'public', () => ({ status: 200, body: infoOf(deps) }));
  router.on('POST', `${prefix}/runs`, 'ingest', ({ request }) =>
    accept(
      request,
      async () => ({ posts: [checkRun(await readJson(request, deps), 'the body')], patches: [] }),
      true,
    ),
  );
  router.on('PATCH', `${prefix}/runs/:runId`, 'ingest', ({ request, params }) =>
    accept(request, async () => {
      const body = await readJson(request, deps);
      const id = isRecord(body) && body.id !== undefined ? body.id : params.runId;
      if (id !== params.runId) {
        throw new ArgusError(
          'INVALID_RUN',
          `Cannot update run '${params.runId}': the body's 'id' is '${String(id)}'`,
        );
      }
      return { posts: [], patches: [checkRun(isRecord(body) ? { ...body, id } : body, 'the body')] };
    }),
  );
  router.on('POST', `${prefix}/runs/batch`, 'ingest', ({ request }) =>
    accept(request, async () => {
      const body = await readJson(request, deps);
      if (!isRecord(body))
        throw new ArgusError('INVALID_RUN', 'Cannot accept runs: the body is not a JSON object');
      const posts = listOf(body.post, 'post').map((r, i) => checkRun(r, `post[${i}]`));
      const patches = listOf(body.patch, 'patch').map((r, i) => checkRun(r, `patch[${i}]`));
      return { posts, patches };
    }),
  );
  router.on('POST', `${prefix}/runs/multipart`, 'ingest', ({ request }) =>
    accept(request, async () => {
      let boundary: string;
      try {
        boundary = boundaryOf(request.headers['content-type']);
      } catch (error) {
        request.resume();
        throw error;
      }
      const runs = runsFromParts(
        parseMultipart(await readBody(request, deps.config, deps.bodyBudget), boundary),
      );
      extra.attachments += runs.attachments;
      extra.ignoredParts += runs.unknownParts;
      return runs;
    }),
  );
}
