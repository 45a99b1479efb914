/**
 * OpenAPI paths of the governance API: retention policy, sweeps and erasures (admin only).
 * Request bodies and query values come from the zod schemas that validate them (schemas.ts).
 */
import {
  BAD_REQUEST as bad,
  DATE_TIME,
  fromZod,
  jsonAnswer,
  jsonBody,
  NOT_FOUND as notFound,
  object,
  queryParam as query,
  type Schema,
} from '../http/openapi-helpers.ts';
import {
  erasureInputSchema,
  retentionInputSchema,
  subjectValue as subjectSchema,
  traceIdValue,
} from './schemas.ts';

/** An answer `{ data: … }`. */
const ok = (description: string, schema: Schema) =>
  jsonAnswer({ type: 'object', properties: { data: schema } }, description);

const RETENTION_INPUT = fromZod(retentionInputSchema);

const RETENTION = object({
  telemetryDays: {
    type: 'integer',
    description: 'Spans, logs, scores and metric points older than this are deleted',
  },
  contentDays: {
    type: 'integer',
    description: 'Prompt/completion content, span attributes and log bodies older than this are blanked',
  },
  maxDays: { type: 'integer', description: "The instance's --retention-days, the upper bound of both" },
  source: { type: 'string', enum: ['project', 'default'] },
});

const counts = (names: string[]): Schema => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, { type: 'integer' }])),
});

const SWEEP_REPORT: Schema = {
  type: 'object',
  properties: {
    projectId: { type: 'string' },
    telemetryDays: { type: 'integer' },
    contentDays: { type: 'integer' },
    telemetryCutoff: DATE_TIME,
    contentCutoff: DATE_TIME,
    deleted: counts(['spans', 'traceIndex', 'logs', 'scores', 'metricPoints']),
    blanked: counts(['spans', 'logs']),
    durationMs: { type: 'integer' },
  },
};

const subjectValue = fromZod(subjectSchema);
const TRACE_ID = fromZod(traceIdValue);
// The schema checks "exactly one subject" in a refinement (for its message); say it here.
const ERASURE_INPUT: Schema = {
  ...fromZod(erasureInputSchema),
  minProperties: 1,
  maxProperties: 1,
  description: 'Exactly one of traceId, userId or sessionId',
};

const RECEIPT = object(
  {
    id: { type: 'string' },
    projectId: { type: 'string' },
    subject: {
      type: 'object',
      description: '`value` only in the answer to the POST; stored receipts keep the kind and the hash',
      properties: { kind: { type: 'string', enum: ['trace', 'user', 'session'] }, value: { type: 'string' } },
    },
    subjectHash: {
      type: 'string',
      description: "HMAC-SHA256 (hex) of kind and value under the instance's key",
    },
    requestedBy: { type: 'string' },
    requestedAt: DATE_TIME,
    completedAt: { type: ['string', 'null'], format: 'date-time' },
    status: { type: 'string', enum: ['running', 'completed', 'failed'] },
    deleted: counts(['traces', 'spans', 'traceIndex', 'logs', 'scores']),
    error: { type: 'string' },
  },
  ['completedAt', 'error'],
);

/** Every governance path. */
export const GOVERNANCE_PATHS: Record<string, Schema> = {
  '/api/v1/settings/retention': {
    get: {
      summary: "The project's retention policy",
      description:
        'Without a policy of its own a project keeps everything for --retention-days (`source: default`).',
      responses: { '200': ok('OK', RETENTION) },
    },
    put: {
      summary: "Set the project's retention policy",
      description:
        'contentDays ≤ telemetryDays ≤ --retention-days. Enforced by the retention sweeper (hourly by default) or at once with POST /api/v1/retention/sweep. Audited as settings.update.',
      requestBody: jsonBody(RETENTION_INPUT),
      responses: { '200': ok('OK', RETENTION), '400': bad },
    },
  },
  '/api/v1/retention/sweep': {
    post: {
      summary: "Enforce the project's retention policy now",
      description:
        'Deletes telemetry older than telemetryDays and blanks content older than contentDays, synchronously; answers what was removed. Rollups (anonymous per-minute/hour aggregates) are kept. Audited as retention.sweep when something was removed.',
      responses: { '200': ok('OK', SWEEP_REPORT) },
    },
  },
  '/api/v1/erasures': {
    post: {
      summary: 'Erase a trace, or everything of a user or a session',
      description:
        'Deletes every span, trace index row, log record and score of the trace, or of every trace carrying the user or session id, synchronously, and answers the receipt. The stored receipt keeps only a keyed hash of the value. Audited as data.erase (never with the value).',
      requestBody: jsonBody(ERASURE_INPUT),
      responses: {
        '200': ok('Erased', RECEIPT),
        '400': bad,
        '503': {
          description:
            'STORE_UNAVAILABLE: a deletion failed; the receipt is stored as failed, repeat the request',
        },
      },
    },
    get: {
      summary: 'Erasure receipts of the project, newest first',
      description:
        'Give one of traceId, userId or sessionId to find the receipts of that subject (matched by hash).',
      parameters: [
        query('limit', 'Most receipts', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }),
        query('cursor', 'nextCursor of the previous page'),
        query('traceId', 'Only receipts of this trace', TRACE_ID),
        query('userId', 'Only receipts of this user id', subjectValue),
        query('sessionId', 'Only receipts of this session id', subjectValue),
      ],
      responses: {
        '200': jsonAnswer({
          type: 'object',
          properties: {
            data: { type: 'array', items: RECEIPT },
            nextCursor: { type: ['string', 'null'] },
          },
        }),
        '400': bad,
      },
    },
  },
  '/api/v1/erasures/{id}': {
    get: {
      summary: 'One erasure receipt',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': ok('OK', RECEIPT), '404': notFound },
    },
  },
};
