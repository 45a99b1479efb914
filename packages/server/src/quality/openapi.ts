/**
 * The OpenAPI fragment of the quality routes (connections, datasets, evaluators). Request bodies
 * are generated from the zod schemas the routes validate with (schemas.ts), so they cannot drift.
 */
import { EVALUATOR_TYPES, LLM_PROVIDERS } from '@argus/shared';
import {
  BAD_REQUEST,
  DATE_TIME,
  fromZod,
  jsonAnswer,
  jsonBody,
  NOT_FOUND,
  object,
  queryParam,
  type Schema,
  STRING,
} from '../http/openapi-helpers.ts';
import {
  connectionCreateSchema,
  connectionPatchSchema,
  connectionTestSchema,
  datasetCreateSchema,
  evaluatorCreateSchema,
  evaluatorPatchSchema,
  evaluatorTestSchema,
  fromSpansSchema,
  itemsUpsertSchema,
} from './schemas.ts';

const ANY: Schema = {};
const RECORD: Schema = { type: 'object', additionalProperties: true };
const data = (schema: Schema): Schema => object({ data: schema });
const list = (schema: Schema): Schema => data({ type: 'array', items: schema });
const idParam = (name = 'id') => ({ name, in: 'path', required: true, schema: STRING });
const NO_CONTENT = { description: 'Deleted' };
const ok = (schema: Schema, description = 'OK') => jsonAnswer(data(schema), description);

const CONNECTION = object(
  {
    id: STRING,
    projectId: STRING,
    name: STRING,
    provider: { type: 'string', enum: [...LLM_PROVIDERS] },
    baseUrl: STRING,
    models: { type: 'array', items: STRING },
    embeddingModel: STRING,
    apiVersion: STRING,
    headerNames: { type: 'array', items: STRING, description: 'Names only: header values are secret.' },
    hasApiKey: { type: 'boolean', description: 'The key itself is never returned.' },
    createdAt: DATE_TIME,
    updatedAt: DATE_TIME,
  },
  ['baseUrl', 'embeddingModel', 'apiVersion'],
);
const CONNECTION_TEST = object(
  {
    ok: { type: 'boolean' },
    call: STRING,
    latencyMs: { type: 'number' },
    error: object({ status: { type: 'integer' }, message: STRING }, ['status']),
  },
  ['error'],
);
const DATASET = object({
  id: STRING,
  projectId: STRING,
  name: STRING,
  description: STRING,
  metadata: RECORD,
  itemCount: { type: 'integer' },
  versionAt: {
    ...DATE_TIME,
    description: 'The latest version: pass it as ?version= to read the items as of then.',
  },
  createdAt: DATE_TIME,
  updatedAt: DATE_TIME,
});
const ITEM = object(
  {
    id: STRING,
    datasetId: STRING,
    input: ANY,
    expectedOutput: ANY,
    metadata: RECORD,
    sourceTraceId: STRING,
    sourceSpanId: STRING,
    validFrom: DATE_TIME,
  },
  ['expectedOutput', 'sourceTraceId', 'sourceSpanId'],
);
const WRITE_RESULT = {
  created: { type: 'integer' },
  updated: { type: 'integer' },
  unchanged: { type: 'integer' },
  version: DATE_TIME,
};
const EVALUATOR = object({
  id: STRING,
  projectId: STRING,
  name: STRING,
  type: { type: 'string', enum: [...EVALUATOR_TYPES] },
  config: RECORD,
  createdAt: DATE_TIME,
  updatedAt: DATE_TIME,
});
const EVALUATION = object(
  {
    score: { type: 'number' },
    label: STRING,
    explanation: STRING,
    traceId: STRING,
    latencyMs: { type: 'number' },
  },
  ['label', 'explanation', 'traceId'],
);

const tags = (tag: string) => ({ tags: [tag] });
const C = tags('LLM connections');
const D = tags('Datasets');
const E = tags('Evaluators');

/** The quality paths, by OpenAPI path. */
export const QUALITY_PATHS: Record<string, Schema> = {
  '/api/v1/llm-connections': {
    get: {
      ...C,
      summary: 'List the LLM connections (no secrets)',
      responses: { 200: jsonAnswer(list(CONNECTION)) },
    },
    post: {
      ...C,
      summary: 'Create an LLM connection (project admin)',
      description:
        'The key and header values are sealed (AES-256-GCM under the instance key) and never returned. With authentication on, a baseUrl whose host is or resolves to a private, loopback or link-local address is refused (403 HOST_NOT_ALLOWED) unless --llm-allowed-hosts allows it.',
      requestBody: jsonBody(fromZod(connectionCreateSchema)),
      responses: {
        201: ok(CONNECTION, 'Created'),
        400: BAD_REQUEST,
        403: jsonAnswer(RECORD, 'HOST_NOT_ALLOWED or FORBIDDEN'),
        409: jsonAnswer(RECORD, 'CONFLICT: the name is taken'),
      },
    },
  },
  '/api/v1/llm-connections/{id}': {
    parameters: [idParam()],
    get: { ...C, summary: 'Read a connection', responses: { 200: ok(CONNECTION), 404: NOT_FOUND } },
    patch: {
      ...C,
      summary: 'Change a connection (project admin); an absent apiKey or headers keeps the stored one',
      requestBody: jsonBody(fromZod(connectionPatchSchema)),
      responses: { 200: ok(CONNECTION), 400: BAD_REQUEST, 404: NOT_FOUND },
    },
    delete: {
      ...C,
      summary: 'Delete a connection (project admin)',
      responses: { 204: NO_CONTENT, 404: NOT_FOUND },
    },
  },
  '/api/v1/llm-connections/{id}/test': {
    parameters: [idParam()],
    post: {
      ...C,
      summary: 'Make one cheap call through the connection',
      description:
        'A chat call of 1 token (the given model or the first listed), else an embedding, else the model list. 502 carries the provider error, secrets removed.',
      requestBody: {
        required: false,
        content: { 'application/json': { schema: fromZod(connectionTestSchema) } },
      },
      responses: {
        200: ok(CONNECTION_TEST),
        502: ok(CONNECTION_TEST, 'The provider failed'),
        404: NOT_FOUND,
      },
    },
  },
  '/api/v1/datasets': {
    get: { ...D, summary: 'List datasets', responses: { 200: jsonAnswer(list(DATASET)) } },
    post: {
      ...D,
      summary: 'Create a dataset',
      requestBody: jsonBody(fromZod(datasetCreateSchema)),
      responses: {
        201: ok(DATASET, 'Created'),
        400: BAD_REQUEST,
        409: jsonAnswer(RECORD, 'CONFLICT: the name is taken'),
      },
    },
  },
  '/api/v1/datasets/{id}': {
    parameters: [idParam()],
    get: { ...D, summary: 'Read a dataset', responses: { 200: ok(DATASET), 404: NOT_FOUND } },
    delete: {
      ...D,
      summary: 'Delete a dataset and every version of its items',
      responses: { 204: NO_CONTENT, 404: NOT_FOUND },
    },
  },
  '/api/v1/datasets/{id}/versions': {
    parameters: [idParam()],
    get: {
      ...D,
      summary: 'The versions of a dataset, newest first, with items written and removed by each',
      parameters: [
        queryParam('limit', 'Most versions, 1–1000 (default 100).', {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
        }),
      ],
      responses: {
        200: jsonAnswer(
          list(object({ version: DATE_TIME, written: { type: 'integer' }, removed: { type: 'integer' } })),
        ),
        404: NOT_FOUND,
      },
    },
  },
  '/api/v1/datasets/{id}/items': {
    parameters: [idParam()],
    get: {
      ...D,
      summary: 'List items by id, in cursor pages, as of a version',
      parameters: [
        queryParam(
          'version',
          'Read the items as they were at this time (ISO 8601 or epoch ms). Default: now.',
        ),
        queryParam('limit', 'Items per page, 1–1000 (default 100).', {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
        }),
        queryParam('cursor', 'The nextCursor of the previous page (it keeps the version).'),
        queryParam(
          'q',
          'Case-insensitive substring of the id, the input or the expected output (1–200 characters).',
        ),
      ],
      responses: {
        200: jsonAnswer(
          object({
            data: { type: 'array', items: ITEM },
            version: DATE_TIME,
            nextCursor: { type: ['string', 'null'] },
          }),
        ),
        400: BAD_REQUEST,
        404: NOT_FOUND,
      },
    },
    post: {
      ...D,
      summary: 'Create or replace items by id (up to 10,000 per call), as one new version',
      requestBody: jsonBody(fromZod(itemsUpsertSchema)),
      responses: {
        200: ok(object(WRITE_RESULT)),
        400: BAD_REQUEST,
        404: NOT_FOUND,
        413: jsonAnswer(RECORD, 'PAYLOAD_TOO_LARGE (64 MiB)'),
      },
    },
  },
  '/api/v1/datasets/{id}/items/{itemId}': {
    parameters: [idParam(), idParam('itemId')],
    delete: {
      ...D,
      summary: 'Remove an item (a new version; earlier versions keep it)',
      responses: { 200: ok(object({ deleted: { type: 'integer' }, version: DATE_TIME })), 404: NOT_FOUND },
    },
  },
  '/api/v1/datasets/{id}/items/from-spans': {
    parameters: [idParam()],
    post: {
      ...D,
      summary: "Copy spans' input and output into items (by span ids or the /spans filters)",
      requestBody: jsonBody(fromZod(fromSpansSchema)),
      responses: {
        200: ok(
          object({ ...WRITE_RESULT, spans: { type: 'integer' }, missing: { type: 'array', items: STRING } }, [
            'missing',
          ]),
        ),
        400: BAD_REQUEST,
        404: NOT_FOUND,
      },
    },
  },
  '/api/v1/datasets/{id}/items/import': {
    parameters: [idParam()],
    post: {
      ...D,
      summary: 'Import a JSONL or CSV file with a column mapping; rows that cannot be read are listed',
      parameters: [
        queryParam('format', 'csv or jsonl; default from the Content-Type (text/csv, application/x-ndjson).'),
        queryParam(
          'input',
          'Column (CSV) or dotted path (JSONL) of the input; several, comma-separated, make an object.',
        ),
        queryParam('expected', 'Column or path of the expected output.'),
        queryParam('id', 'Column or path of the item id (upsert key).'),
        queryParam('metadata', 'Comma-separated columns copied into metadata.'),
      ],
      requestBody: {
        required: true,
        content: { 'text/csv': { schema: STRING }, 'application/x-ndjson': { schema: STRING } },
      },
      responses: {
        200: ok(
          object({
            ...WRITE_RESULT,
            refused: { type: 'integer' },
            errors: { type: 'array', items: object({ row: { type: 'integer' }, message: STRING }) },
          }),
        ),
        400: BAD_REQUEST,
        404: NOT_FOUND,
      },
    },
  },
  '/api/v1/datasets/{id}/items/export': {
    parameters: [idParam()],
    get: {
      ...D,
      summary: 'Export the items (as of a version) as JSONL or CSV',
      parameters: [
        queryParam('format', 'jsonl (default) or csv.'),
        queryParam('version', 'As of this time.'),
      ],
      responses: {
        200: {
          description: 'The file',
          content: { 'application/x-ndjson': { schema: STRING }, 'text/csv': { schema: STRING } },
        },
        404: NOT_FOUND,
      },
    },
  },
  '/api/v1/evaluators': {
    get: { ...E, summary: 'List evaluators', responses: { 200: jsonAnswer(list(EVALUATOR)) } },
    post: {
      ...E,
      summary: 'Create an evaluator',
      description:
        'The config of each type is in docs/evaluation.md. Regex patterns (and JSON Schema patterns) that backtrack catastrophically are refused.',
      requestBody: jsonBody(fromZod(evaluatorCreateSchema)),
      responses: {
        201: ok(EVALUATOR, 'Created'),
        400: BAD_REQUEST,
        404: NOT_FOUND,
        409: jsonAnswer(RECORD, 'CONFLICT: the name is taken'),
      },
    },
  },
  '/api/v1/evaluators/templates': {
    get: {
      ...E,
      summary: 'The evaluator types and the built-in llm_judge templates',
      responses: { 200: jsonAnswer(RECORD) },
    },
  },
  '/api/v1/evaluators/{id}': {
    parameters: [idParam()],
    get: { ...E, summary: 'Read an evaluator', responses: { 200: ok(EVALUATOR), 404: NOT_FOUND } },
    patch: {
      ...E,
      summary: 'Change an evaluator',
      requestBody: jsonBody(fromZod(evaluatorPatchSchema)),
      responses: { 200: ok(EVALUATOR), 400: BAD_REQUEST, 404: NOT_FOUND },
    },
    delete: { ...E, summary: 'Delete an evaluator', responses: { 204: NO_CONTENT, 404: NOT_FOUND } },
  },
  '/api/v1/evaluators/{id}/test': {
    parameters: [idParam()],
    post: {
      ...E,
      summary: 'Dry-run the evaluator on one sample (judge calls are traced)',
      requestBody: jsonBody(fromZod(evaluatorTestSchema)),
      responses: {
        200: ok(EVALUATION),
        400: BAD_REQUEST,
        404: NOT_FOUND,
        502: jsonAnswer(RECORD, 'PROVIDER_ERROR'),
        504: jsonAnswer(RECORD, 'PROVIDER_TIMEOUT'),
      },
    },
  },
};
