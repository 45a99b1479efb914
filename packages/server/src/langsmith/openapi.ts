/**
 * OpenAPI paths of the LangSmith run API (routes.ts, feedback-route.ts), served at the root and
 * again under `/api/v1` (the self-hosted LangSmith URL form). Runs and feedback are checked by
 * hand (run.ts, feedback-route.ts), not by zod, so their bodies are described here.
 */
import { jsonAnswer, jsonBody, type Schema } from '../http/openapi-helpers.ts';

const accepted = {
  '202': { description: 'Accepted: finished runs are stored, unfinished ones held for their update' },
};
const failures = {
  '400': {
    description:
      'A run cannot be accepted (INVALID_RUN: missing or non-UUID id, bad dotted_order …); nothing of the request was written',
  },
  '401': { description: 'No x-api-key header (UNAUTHORIZED)' },
  '413': { description: 'Body or decompressed body over the limit (PAYLOAD_TOO_LARGE)' },
  '415': { description: 'Unsupported Content-Type or Content-Encoding' },
  '503': { description: 'Write queue full or shutting down; see Retry-After' },
};
const run: Schema = {
  type: 'object',
  required: ['id'],
  description:
    'A LangSmith run: id, name, run_type, start_time, end_time, inputs, outputs, extra, error, events, parent_run_id, trace_id, dotted_order, session_name, tags …',
  properties: { id: { type: 'string', format: 'uuid' } },
};

const paths: Record<string, Schema> = {
  '/info': {
    get: {
      summary: 'LangSmith server info',
      description:
        'What the LangSmith SDKs read first: version, batch_ingest_config (multipart on, size limits), instance_flags.',
      responses: { '200': jsonAnswer({ type: 'object' }) },
    },
  },
  '/runs': {
    post: {
      summary: 'Create a LangSmith run',
      requestBody: jsonBody(run),
      responses: {
        ...accepted,
        '409': { description: 'The run was already created (CONFLICT); SDKs ignore it' },
        ...failures,
      },
    },
  },
  '/runs/{runId}': {
    patch: {
      summary: 'Update a LangSmith run (end_time, outputs, error, events, extra)',
      parameters: [{ name: 'runId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      requestBody: jsonBody({ type: 'object' }),
      responses: { ...accepted, ...failures },
    },
  },
  '/runs/batch': {
    post: {
      summary: 'Create and update LangSmith runs in one request',
      requestBody: jsonBody({
        type: 'object',
        properties: { post: { type: 'array', items: run }, patch: { type: 'array', items: run } },
      }),
      responses: { ...accepted, ...failures },
    },
  },
  '/runs/multipart': {
    post: {
      summary: 'Create and update LangSmith runs as multipart/form-data',
      description:
        'Parts post.{id}, patch.{id}, post.{id}.inputs|outputs|events|extra|error|serialized, attachment.{id}.{name} (counted, dropped), feedback.{id} (stored as scores). Content-Encoding gzip or zstd.',
      requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object' } } } },
      responses: { ...accepted, ...failures },
    },
  },
  '/feedback': {
    post: {
      summary: 'Create LangSmith feedback (client.createFeedback / create_feedback)',
      description:
        "Stored as a score on the trace (and the run's span): key is its name, score its value, value its text. Without trace_id the run is looked up among the project's spans of the last 7 days.",
      requestBody: jsonBody({
        type: 'object',
        required: ['key'],
        properties: {
          key: { type: 'string' },
          run_id: { type: 'string', format: 'uuid' },
          trace_id: { type: 'string', format: 'uuid' },
          score: { type: ['number', 'boolean'] },
          value: {},
          comment: { type: 'string' },
        },
      }),
      responses: {
        '200': { description: 'Stored: {id, run_id, trace_id, key}' },
        '400': { description: 'No key, neither run_id nor trace_id, or an id that is not a UUID' },
        '404': {
          description: 'The run is not stored (yet) and no trace_id was sent (NOT_FOUND); retry later',
        },
        '415': failures['415'],
      },
    },
  },
};

/** The run API's paths, at the root and under `/api/v1`. */
export const LANGSMITH_PATHS: Record<string, Schema> = Object.fromEntries(
  Object.entries(paths).flatMap(([path, item]) => [
    [path, item],
    [`/api/v1${path}`, item],
  ]),
);
