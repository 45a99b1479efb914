/**
 * OpenAPI paths of explainability (`/api/v1/explain/*`, `/api/v1/concepts*`). Request bodies and
 * query parameters come from the zod schemas that validate them (schemas.ts).
 */
import {
  BAD_REQUEST as bad,
  dataAnswer,
  fromZod,
  jsonAnswer,
  jsonBody,
  listAnswer,
  NUMBER,
  NOT_FOUND as notFound,
  object,
  pathParam,
  queryParams,
  type Schema,
  STRING,
} from '../../http/openapi-helpers.ts';
import {
  attributionSchema,
  biasSchema,
  conceptSchema,
  conceptScoresQuerySchema,
  conceptSpansQuerySchema,
  counterfactualSchema,
  importanceSchema,
} from './schemas.ts';

const ANY_OBJECT: Schema = { type: 'object', additionalProperties: true };
const tags = ['explain'];

const PLAN = object(
  {
    calls: { ...NUMBER, description: 'Chat or scoring calls to the model (an upper bound)' },
    measureCalls: { ...NUMBER, description: 'Embedding or judge calls that measure the answers' },
    segments: NUMBER,
    model: STRING,
    connectionId: STRING,
    estimatedCostUsd: { ...NUMBER, description: "calls × the recorded call's cost; absent when it has none" },
    capped: { type: 'boolean', description: 'maxCalls merged segments or cut permutations/variants' },
    notes: { type: 'array', items: STRING },
  },
  ['estimatedCostUsd'],
);
const JOB = object(
  {
    id: STRING,
    kind: { type: 'string', enum: ['attribution', 'counterfactuals', 'bias'] },
    status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
    traceId: STRING,
    spanId: STRING,
    request: ANY_OBJECT,
    plan: PLAN,
    progress: object({ done: NUMBER, total: NUMBER }),
    result: {
      ...ANY_OBJECT,
      description: 'AttributionResult, CounterfactualResult or BiasReport (see docs/explainability.md)',
    },
    error: STRING,
    createdAt: STRING,
    updatedAt: STRING,
  },
  ['result', 'error'],
);
const SUBMITTED = {
  200: jsonAnswer(object({ data: object({ plan: PLAN }) }), 'The plan of a dry run'),
  202: jsonAnswer(object({ data: object({ id: STRING, status: STRING, plan: PLAN }) }), 'The job was queued'),
  400: bad,
  404: notFound,
};

function jobPaths(kind: string, what: string): Record<string, unknown> {
  return {
    [`/api/v1/explain/${kind}/{id}`]: {
      get: {
        summary: `A ${what} job: status, progress and result`,
        tags,
        parameters: [pathParam('id')],
        responses: { 200: dataAnswer(JOB), 404: notFound },
      },
    },
    [`/api/v1/explain/${kind}/{id}/cancel`]: {
      post: {
        summary: `Cancel a ${what} job (a finished job is answered as it is)`,
        tags,
        parameters: [pathParam('id')],
        responses: { 200: dataAnswer(JOB), 404: notFound },
      },
    },
  };
}

/** The paths of explain jobs. */
const JOB_PATHS: Record<string, unknown> = {
  '/api/v1/explain/attribution': {
    post: {
      summary:
        'Attribute a recorded LLM call’s output to segments of its prompt (replays with segments removed)',
      tags,
      requestBody: jsonBody(fromZod(attributionSchema)),
      responses: SUBMITTED,
    },
  },
  '/api/v1/explain/counterfactuals': {
    post: {
      summary:
        'Replay a recorded LLM call with terms substituted (pairs or a probe set) and compare the answers',
      tags,
      requestBody: jsonBody(fromZod(counterfactualSchema)),
      responses: SUBMITTED,
    },
  },
  '/api/v1/explain/bias': {
    post: {
      summary:
        'Probe a model with a dataset’s items per group of a probe set; outcome rates per group with a chi-squared test',
      tags,
      requestBody: jsonBody(fromZod(biasSchema)),
      responses: SUBMITTED,
    },
  },
  '/api/v1/explain/importance': {
    post: {
      summary:
        'Which span properties explain a target (latency, cost, error, perplexity, output tokens, a score): permutation importance with direction, interval and partial dependence',
      tags,
      requestBody: jsonBody(fromZod(importanceSchema)),
      responses: { 200: dataAnswer(ANY_OBJECT), 400: bad },
    },
  },
  ...jobPaths('attribution', 'attribution'),
  ...jobPaths('counterfactuals', 'counterfactual'),
  ...jobPaths('bias', 'bias report'),
  '/api/v1/explain/spans/{traceId}/{spanId}': {
    get: {
      summary: 'The explain jobs of a span, newest first',
      tags,
      parameters: [pathParam('traceId'), pathParam('spanId')],
      responses: { 200: jsonAnswer(object({ data: { type: 'array', items: JOB } })), 400: bad },
    },
  },
};

const CONCEPT = object(
  {
    id: STRING,
    name: STRING,
    field: { type: 'string', enum: ['input', 'output'] },
    accuracy: { ...NUMBER, description: 'Held-out accuracy (0.5 = not learnable from these examples)' },
    trainCount: NUMBER,
    heldOutCount: NUMBER,
    positives: NUMBER,
    negatives: NUMBER,
    randomNegatives: { type: 'boolean' },
    embedding: { ...STRING, description: "'featuriser' or the connection's embedding model" },
    connectionId: STRING,
    record: { type: 'boolean', description: 'Scored every 5 minutes into argus.concept.* metric points' },
    threshold: NUMBER,
    createdAt: STRING,
  },
  ['connectionId'],
);
const SPAN_SCORE = object({
  traceId: STRING,
  spanId: STRING,
  startTime: STRING,
  score: NUMBER,
  text: STRING,
});

/** The paths of concepts. */
export const CONCEPT_PATHS: Record<string, unknown> = {
  '/api/v1/concepts': {
    get: { summary: 'List concepts', tags, responses: { 200: listAnswer(CONCEPT) } },
    post: {
      summary: 'Learn a concept (logistic regression on embeddings) from example texts, a dataset or spans',
      tags,
      requestBody: jsonBody(fromZod(conceptSchema)),
      responses: {
        201: jsonAnswer(object({ data: CONCEPT }), 'Created'),
        400: bad,
        404: notFound,
        409: { description: 'The name is taken' },
      },
    },
  },
  '/api/v1/concepts/{id}': {
    get: {
      summary: 'A concept (by id or name)',
      tags,
      parameters: [pathParam('id')],
      responses: { 200: dataAnswer(CONCEPT), 404: notFound },
    },
    delete: {
      summary: 'Delete a concept',
      tags,
      parameters: [pathParam('id')],
      responses: { 204: { description: 'Deleted' }, 404: notFound },
    },
  },
  '/api/v1/concepts/{id}/scores': {
    get: {
      summary:
        'Scores of span previews on a concept over a window: per-bucket mean and share over the threshold, and the spans',
      tags,
      parameters: [pathParam('id'), ...queryParams(conceptScoresQuerySchema)],
      responses: {
        200: dataAnswer(
          object({
            concept: STRING,
            threshold: NUMBER,
            points: { type: 'array', items: ANY_OBJECT },
            spans: { type: 'array', items: SPAN_SCORE },
          }),
        ),
        400: bad,
        404: notFound,
      },
    },
  },
  '/api/v1/concepts/{id}/record': {
    post: {
      summary:
        'Score the last 5 minutes now and write the metric points argus.concept.share, .mean and .spans',
      tags,
      parameters: [pathParam('id')],
      responses: {
        200: dataAnswer(object({ count: NUMBER, mean: NUMBER, share: NUMBER, time: STRING })),
        404: notFound,
      },
    },
  },
  '/api/v1/explain/concept-spans': {
    get: {
      summary: "Spans of a window whose concept score passes the filter 'concept:<name> > 0.8'",
      tags,
      parameters: queryParams(conceptSpansQuerySchema),
      responses: { 200: listAnswer(SPAN_SCORE), 400: bad, 404: notFound },
    },
  },
};

/** The paths of explainability. */
export const EXPLAIN_PATHS: Record<string, unknown> = { ...JOB_PATHS, ...CONCEPT_PATHS };
