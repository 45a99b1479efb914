/**
 * OpenAPI paths of explainability (`/api/v1/explain/*`, `/api/v1/concepts*`). Request bodies and
 * query parameters come from the zod schemas that validate them (schemas.ts).
 */
import {
  BAD_REQUEST as bad,
  fromZod,
  jsonAnswer,
  jsonBody,
  NOT_FOUND as notFound,
  object,
  type Schema,
  STRING,
} from '../../http/openapi-helpers.ts';
import { attributionSchema, biasSchema, counterfactualSchema } from './schemas.ts';

const ANY_OBJECT: Schema = { type: 'object', additionalProperties: true };
const NUMBER: Schema = { type: 'number' };
const tags = ['explain'];
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: STRING });
const data = (schema: Schema) => jsonAnswer(object({ data: schema }));

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
        responses: { 200: data(JOB), 404: notFound },
      },
    },
    [`/api/v1/explain/${kind}/{id}/cancel`]: {
      post: {
        summary: `Cancel a ${what} job (a finished job is answered as it is)`,
        tags,
        parameters: [pathParam('id')],
        responses: { 200: data(JOB), 404: notFound },
      },
    },
  };
}

/** The paths of explainability. */
export const EXPLAIN_PATHS: Record<string, unknown> = {
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
