/**
 * LangSmith's feedback door, `POST /feedback` (also under `/api/v1`): what `client.createFeedback`
 * (JS) and `client.create_feedback` (Python) send, one feedback object as JSON. It becomes an
 * Argus score like a `feedback.{id}` multipart part (feedback.ts). Feedback that names only its
 * run is placed on the run's trace, looked up among the project's spans of the last 7 days; a run
 * not stored yet answers 404, which the Python SDK retries and the JS SDK reports.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ArgusError } from '../errors.ts';
import { readJsonValue } from '../http/json-body.ts';
import type { Reply, Router } from '../http/router.ts';
import { isRecord, toText } from '../normalize/values.ts';
import type { Store } from '../store/index.ts';
import { insertFeedback } from './feedback.ts';
import { spanIdOf } from './run.ts';

/** What the feedback route needs. */
export interface FeedbackRouteDeps {
  store: Pick<Store, 'insertScore' | 'driver'>;
  projectOf: (request: IncomingMessage) => string;
}

const MAX_BODY_BYTES = 256 * 1024;
/** How far back a run named only by its id is looked for. */
const RUN_LOOKUP_DAYS = 7;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Registers `POST /feedback` and `POST /api/v1/feedback` (ingest level, like the run API). */
export function registerFeedbackRoutes(router: Router, deps: FeedbackRouteDeps): void {
  for (const prefix of ['', '/api/v1']) {
    router.on('POST', `${prefix}/feedback`, 'ingest', ({ request }) => createFeedback(request, deps));
  }
}

async function createFeedback(request: IncomingMessage, deps: FeedbackRouteDeps): Promise<Reply> {
  const body = await readJsonValue(request, 'feedback', {
    doing: 'Cannot accept feedback',
    maxBytes: MAX_BODY_BYTES,
  });
  if (!isRecord(body))
    throw new ArgusError('BAD_REQUEST', 'Cannot accept feedback: the body is not a JSON object');
  const key = toText(body.key);
  if (key === undefined || key === '') {
    throw new ArgusError('INVALID_PARAMETER', "Invalid feedback field 'key': expected a non-empty string");
  }
  const runId = optionalUuid(body.run_id, 'run_id');
  const givenTrace = optionalUuid(body.trace_id, 'trace_id');
  optionalUuid(body.id, 'id');
  if (runId === undefined && givenTrace === undefined) {
    throw new ArgusError(
      'INVALID_PARAMETER',
      'Cannot place feedback: it names neither run_id nor trace_id (feedback on a whole project is not stored)',
    );
  }
  const projectId = deps.projectOf(request);
  const traceId = givenTrace ?? (await traceOfRun(deps, projectId, runId!));
  if (traceId === undefined) {
    throw new ArgusError(
      'NOT_FOUND',
      `Cannot place feedback: run '${runId}' is not stored in project '${projectId}' (last ${RUN_LOOKUP_DAYS} days); send its trace_id with it, or send it after the run`,
    );
  }
  const id = typeof body.id === 'string' ? body.id : randomUUID();
  await insertFeedback(deps.store, projectId, [{ ...body, id, trace_id: traceId }]);
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: { id, run_id: runId ?? null, trace_id: traceId, key },
  };
}

/** A UUID field, or undefined when absent or null; anything else is a 400. */
function optionalUuid(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && UUID.test(value)) return value;
  throw new ArgusError('INVALID_PARAMETER', `Invalid feedback field '${field}': expected a UUID`);
}

/** The trace of a stored run (32 hex digits), by the span id the run was stored under. */
async function traceOfRun(
  deps: FeedbackRouteDeps,
  projectId: string,
  runId: string,
): Promise<string | undefined> {
  const rows = await deps.store.driver.query<{ trace_id: string }>(
    `SELECT trace_id FROM spans
WHERE project_id = {projectId:String} AND span_id = {spanId:String}
  AND start_time >= now64(9) - INTERVAL ${RUN_LOOKUP_DAYS} DAY
LIMIT 1`,
    { projectId, spanId: spanIdOf(runId) },
  );
  return rows[0]?.trace_id;
}
