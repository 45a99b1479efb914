/**
 * OpenAPI paths of drift (`/api/v1/drift/*`, `/api/v1/drift-monitors*`). Request bodies and
 * query parameters come from the zod schemas that validate them (schemas.ts).
 */
import {
  BAD_REQUEST as bad,
  DATE_TIME,
  fromZod,
  jsonAnswer,
  jsonBody,
  NOT_FOUND as notFound,
  object,
  queryParam,
  type Schema,
  STRING,
} from '../../http/openapi-helpers.ts';
import { compareSchema, monitorCreateSchema, monitorPatchSchema } from './schemas.ts';

const NUMBER: Schema = { type: 'number' };
const BOOLEAN: Schema = { type: 'boolean' };
const ANY_OBJECT: Schema = { type: 'object', additionalProperties: true };
const tags = ['drift'];
const idParam = { name: 'id', in: 'path', required: true, schema: STRING };
const data = (schema: Schema) => jsonAnswer(object({ data: schema }));
const list = (schema: Schema) => jsonAnswer(object({ data: { type: 'array', items: schema } }));

const FEATURE = object(
  {
    feature: STRING,
    kind: { type: 'string', enum: ['numeric', 'categorical', 'text', 'embedding'] },
    test: {
      type: 'string',
      enum: ['ks', 'wasserstein', 'chi-squared', 'jensen-shannon', 'domain-classifier', 'embedding-distance'],
    },
    statistic: NUMBER,
    pValue: NUMBER,
    threshold: {
      ...NUMBER,
      description: 'What the statistic (the p-value for ks, chi-squared, embeddings) is compared with',
    },
    drifted: BOOLEAN,
    referenceCount: NUMBER,
    currentCount: NUMBER,
    skipped: { ...STRING, description: 'Why no verdict was given' },
    psi: NUMBER,
    summary: ANY_OBJECT,
    categories: { type: 'array', items: ANY_OBJECT },
    words: { ...ANY_OBJECT, description: 'Characteristic words of each side (text features)' },
    examples: { ...ANY_OBJECT, description: 'Spans most typical of each side (text features)' },
    embedding: { ...ANY_OBJECT, description: 'Centroid distance, MMD, the 2-D projection and clusters' },
  },
  [
    'test',
    'statistic',
    'pValue',
    'threshold',
    'skipped',
    'psi',
    'summary',
    'categories',
    'words',
    'examples',
    'embedding',
  ],
);

const REPORT = object({
  drifted: BOOLEAN,
  reference: ANY_OBJECT,
  current: ANY_OBJECT,
  features: { type: 'array', items: FEATURE },
  tookMs: NUMBER,
});

const MONITOR = object(
  {
    id: STRING,
    name: STRING,
    filter: ANY_OBJECT,
    features: { type: 'array', items: STRING },
    reference: ANY_OBJECT,
    window: STRING,
    schedule: STRING,
    enabled: BOOLEAN,
    embeddingConnectionId: STRING,
    sampleSize: NUMBER,
    createdAt: DATE_TIME,
    updatedAt: DATE_TIME,
    lastRunAt: DATE_TIME,
    lastError: STRING,
    lastDrifted: BOOLEAN,
  },
  ['embeddingConnectionId', 'lastRunAt', 'lastError', 'lastDrifted'],
);

const RESULT = object({
  monitorId: STRING,
  time: DATE_TIME,
  from: DATE_TIME,
  to: DATE_TIME,
  drifted: BOOLEAN,
  referenceCount: NUMBER,
  currentCount: NUMBER,
  features: { type: 'array', items: FEATURE },
});

const MODEL_CHANGE = object({
  requestModel: STRING,
  previousModel: STRING,
  newModel: STRING,
  changedAt: DATE_TIME,
  before: ANY_OBJECT,
  after: ANY_OBJECT,
  drifted: BOOLEAN,
  features: { type: 'array', items: FEATURE },
});

const range = [
  queryParam('from', 'Start (ISO 8601 or epoch ms); default 7 days before to'),
  queryParam('to', 'End (ISO 8601 or epoch ms); default now'),
];

/** The drift routes. */
export const DRIFT_PATHS: Record<string, Schema> = {
  '/api/v1/drift/compare': {
    post: {
      summary:
        'Compare the spans of a reference window (or a dataset) with a current window, feature by feature',
      tags,
      requestBody: jsonBody(fromZod(compareSchema)),
      responses: { 200: data(REPORT), 400: bad, 404: notFound },
    },
  },
  '/api/v1/drift/model-changes': {
    get: {
      summary:
        'Change points where a request model began answering with a new response model, with before/after drift',
      tags,
      parameters: [...range, queryParam('model', 'Only this request model')],
      responses: { 200: list(MODEL_CHANGE), 400: bad },
    },
  },
  '/api/v1/drift-monitors': {
    get: { summary: 'List drift monitors', tags, responses: { 200: list(MONITOR) } },
    post: {
      summary: 'Create a drift monitor',
      tags,
      requestBody: jsonBody(fromZod(monitorCreateSchema)),
      responses: {
        201: jsonAnswer(object({ data: MONITOR }), 'Created'),
        400: bad,
        404: notFound,
        409: { description: 'The name is taken' },
      },
    },
  },
  '/api/v1/drift-monitors/{id}': {
    get: {
      summary: 'A drift monitor',
      tags,
      parameters: [idParam],
      responses: { 200: data(MONITOR), 404: notFound },
    },
    patch: {
      summary: 'Change a drift monitor (null clears embeddingConnectionId)',
      tags,
      parameters: [idParam],
      requestBody: jsonBody(fromZod(monitorPatchSchema)),
      responses: { 200: data(MONITOR), 400: bad, 404: notFound },
    },
    delete: {
      summary: 'Delete a drift monitor and its results',
      tags,
      parameters: [idParam],
      responses: { 204: { description: 'Deleted' }, 404: notFound },
    },
  },
  '/api/v1/drift-monitors/{id}/run': {
    post: {
      summary: 'Run a monitor now for the window ending now (recorded like a scheduled run)',
      tags,
      parameters: [idParam],
      responses: { 200: data(RESULT), 404: notFound },
    },
  },
  '/api/v1/drift-monitors/{id}/results': {
    get: {
      summary: "A monitor's runs as a time series, oldest first",
      tags,
      parameters: [idParam, ...range, queryParam('limit', 'Most runs (newest kept), 1–1000, default 200')],
      responses: { 200: list(RESULT), 400: bad, 404: notFound },
    },
  },
};
