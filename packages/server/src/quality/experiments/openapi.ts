/**
 * OpenAPI paths of experiments (/api/v1/experiments*). Request bodies and query parameters are
 * generated from the zod schemas that validate them (schemas.ts), so the document cannot drift.
 */
import {
  BAD_REQUEST as bad,
  DATE_TIME,
  fromZod,
  jsonAnswer,
  jsonBody,
  NUMBER,
  NOT_FOUND as notFound,
  object,
  pathParam,
  queryParam,
  type Schema,
  STRING,
} from '../../http/openapi-helpers.ts';
import {
  compareQuerySchema,
  experimentCreateSchema,
  itemsQuerySchema,
  listQuerySchema,
  resultsPostSchema,
} from './schemas.ts';

const INTERVAL: Schema = {
  type: 'array',
  items: NUMBER,
  minItems: 2,
  maxItems: 2,
  description: '[lower, upper], 95 %',
};
const CONFLICT: Schema = {
  description: 'The experiment is not in a state that allows this (its message says which)',
};

const LABELS = object({
  accuracy: NUMBER,
  labels: { type: 'array', items: STRING },
  confusionMatrix: {
    type: 'array',
    items: { type: 'array', items: NUMBER },
    description: 'rows: expected, columns: answered',
  },
  perLabel: {
    type: 'array',
    items: object({ label: STRING, support: NUMBER, precision: NUMBER, recall: NUMBER, f1: NUMBER }, [
      'precision',
      'recall',
      'f1',
    ]),
  },
});

const SUMMARY = object(
  {
    scores: {
      type: 'object',
      description: 'By evaluator name: mean with its seeded 95 % bootstrap interval and the scored runs',
      additionalProperties: object({ mean: NUMBER, ci95: INTERVAL, n: NUMBER }),
    },
    latencyMs: object({ p50: NUMBER, p95: NUMBER }),
    tokens: object({ input: NUMBER, output: NUMBER, total: NUMBER }),
    costUsd: NUMBER,
    errors: NUMBER,
    labels: LABELS,
  },
  ['latencyMs', 'labels'],
);

const EXPERIMENT = object(
  {
    id: STRING,
    projectId: STRING,
    name: STRING,
    datasetId: STRING,
    datasetVersion: DATE_TIME,
    target: { type: 'object' },
    evaluators: { type: 'array', items: STRING },
    repetitions: NUMBER,
    concurrency: NUMBER,
    metadata: { type: 'object' },
    status: { type: 'string', enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] },
    error: STRING,
    progress: object({ done: NUMBER, total: NUMBER }),
    summary: SUMMARY,
    createdAt: DATE_TIME,
    startedAt: DATE_TIME,
    finishedAt: DATE_TIME,
  },
  ['error', 'startedAt', 'finishedAt'],
);

const ITEM = object(
  {
    itemId: STRING,
    repetition: NUMBER,
    output: {},
    traceId: STRING,
    scores: { type: 'object', additionalProperties: NUMBER },
    latencyMs: NUMBER,
    costUsd: NUMBER,
    error: STRING,
  },
  ['traceId', 'latencyMs', 'error'],
);

const DELTA = object({
  n: NUMBER,
  baselineMean: NUMBER,
  candidateMean: NUMBER,
  delta: NUMBER,
  ci95: INTERVAL,
});

const COMPARISON = object(
  {
    baseline: object({ id: STRING, name: STRING }),
    candidate: object({ id: STRING, name: STRING }),
    alpha: NUMBER,
    pairedItems: NUMBER,
    pairedRuns: NUMBER,
    evaluators: {
      type: 'object',
      additionalProperties: object({
        n: NUMBER,
        baselineMean: NUMBER,
        candidateMean: NUMBER,
        difference: NUMBER,
        ci95: INTERVAL,
        pValue: NUMBER,
        test: { type: 'string', enum: ['mcnemar_exact', 'paired_permutation', 'none'] },
        improved: NUMBER,
        regressed: NUMBER,
        unchanged: NUMBER,
        regression: { type: 'boolean' },
        improvement: { type: 'boolean' },
      }),
    },
    latencyMs: DELTA,
    costUsd: DELTA,
    regression: { type: 'boolean' },
    labels: object({ baseline: LABELS, candidate: LABELS }),
  },
  ['labels'],
);

/** Query parameters of a zod query schema, each with its description. */
function queryParams(schema: Schema, descriptions: Record<string, string>): Schema[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = (schema.required ?? []) as string[];
  return Object.entries(properties).map(([name, s]) => ({
    ...queryParam(name, descriptions[name] ?? '', s),
    ...(required.includes(name) && !('default' in s) ? { required: true } : {}),
  }));
}

const page = (items: Schema) =>
  jsonAnswer(object({ data: { type: 'array', items }, nextCursor: { type: ['string', 'null'] } }));

/** The experiment routes. */
export const EXPERIMENT_PATHS: Record<string, Schema> = {
  '/api/v1/experiments': {
    get: {
      summary: 'List experiments, newest first',
      tags: ['experiments'],
      parameters: queryParams(fromZod(listQuerySchema), {
        datasetId: 'Only experiments of this dataset',
        limit: 'Page size',
        cursor: 'nextCursor of the previous page',
      }),
      responses: { 200: page(EXPERIMENT), 400: bad },
    },
    post: {
      summary: 'Create an experiment (a prompt target starts running at once)',
      tags: ['experiments'],
      requestBody: jsonBody(fromZod(experimentCreateSchema)),
      responses: { 201: jsonAnswer(object({ data: EXPERIMENT }), 'Created'), 400: bad, 404: notFound },
    },
  },
  '/api/v1/experiments/compare': {
    get: {
      summary: 'Compare two experiments on one dataset, paired by item',
      tags: ['experiments'],
      parameters: queryParams(fromZod(compareQuerySchema), {
        baseline: 'Experiment id of the baseline',
        candidate: 'Experiment id of the candidate',
        alpha: 'Significance level of the regression verdict',
      }),
      responses: { 200: jsonAnswer(object({ data: COMPARISON })), 400: bad, 404: notFound },
    },
  },
  '/api/v1/experiments/{id}': {
    get: {
      summary: 'An experiment with its status, progress and statistics',
      tags: ['experiments'],
      parameters: [pathParam()],
      responses: { 200: jsonAnswer(object({ data: EXPERIMENT })), 404: notFound },
    },
    delete: {
      summary: 'Delete an experiment and its results (its traces stay)',
      tags: ['experiments'],
      parameters: [pathParam()],
      responses: { 204: { description: 'Deleted' }, 404: notFound, 409: CONFLICT },
    },
  },
  '/api/v1/experiments/{id}/items': {
    get: {
      summary: 'Item runs: output, trace, scores, latency, cost, error',
      tags: ['experiments'],
      parameters: [
        pathParam(),
        ...queryParams(fromZod(itemsQuerySchema), {
          limit: 'Page size',
          cursor: 'nextCursor of the previous page',
        }),
      ],
      responses: { 200: page(ITEM), 400: bad, 404: notFound },
    },
  },
  '/api/v1/experiments/{id}/results': {
    post: {
      summary: 'Post outputs of an external target; the server runs the evaluators',
      tags: ['experiments'],
      parameters: [pathParam()],
      requestBody: jsonBody(fromZod(resultsPostSchema)),
      responses: {
        200: jsonAnswer(
          object({ data: object({ accepted: NUMBER, progress: object({ done: NUMBER, total: NUMBER }) }) }),
        ),
        400: bad,
        404: notFound,
        409: CONFLICT,
      },
    },
  },
  '/api/v1/experiments/{id}/cancel': {
    post: {
      summary: 'Cancel a queued or running experiment',
      tags: ['experiments'],
      parameters: [pathParam()],
      responses: { 200: jsonAnswer(object({ data: EXPERIMENT })), 404: notFound, 409: CONFLICT },
    },
  },
};
