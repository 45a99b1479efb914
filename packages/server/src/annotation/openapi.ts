/**
 * OpenAPI paths of human review: score configs, annotation queues and judge agreement. Request
 * bodies are generated from the zod schemas the routes validate with (schemas.ts).
 */
import { QUEUE_ITEM_STATUSES, QUEUE_OBJECT_TYPES, SCORE_DATA_TYPES } from '@argus/shared';
import type { z } from 'zod';
import {
  BOOLEAN,
  BAD_REQUEST as bad,
  DATE_TIME,
  dataAnswer,
  fromZod,
  jsonAnswer,
  jsonBody,
  listAnswer,
  NUMBER,
  NOT_FOUND as notFound,
  object,
  pathParam,
  queryParam,
  type Schema,
  STRING,
} from '../http/openapi-helpers.ts';
import {
  queueCompleteSchema,
  queueCreateSchema,
  queueItemsAddSchema,
  queueNextSchema,
  queuePatchSchema,
  scoreConfigCreateSchema,
  scoreConfigPatchSchema,
} from './schemas.ts';

const STRINGS: Schema = { type: 'array', items: STRING };
const NO_CONTENT = { description: 'Deleted' };
const CONFLICT = { description: 'A name taken, or every review slot of the item held by others' };
const FORBIDDEN = { description: 'The queue names its assignees and the reviewer is not one' };
const ESTIMATE = object({ value: NUMBER, low: NUMBER, high: NUMBER }, ['low', 'high']);

const SCORE_CONFIG = object(
  {
    id: STRING,
    projectId: STRING,
    name: STRING,
    dataType: { type: 'string', enum: [...SCORE_DATA_TYPES] },
    min: NUMBER,
    max: NUMBER,
    categories: { type: 'array', items: object({ label: STRING, value: NUMBER }) },
    description: STRING,
    isArchived: BOOLEAN,
    createdAt: DATE_TIME,
    updatedAt: DATE_TIME,
  },
  ['min', 'max', 'categories'],
);

const PROGRESS = object({
  total: NUMBER,
  completed: NUMBER,
  byAssignee: { type: 'object', additionalProperties: object({ completed: NUMBER, inProgress: NUMBER }) },
});

const QUEUE = object({
  id: STRING,
  projectId: STRING,
  name: STRING,
  description: STRING,
  scoreConfigIds: STRINGS,
  assignees: STRINGS,
  reviewsPerItem: NUMBER,
  lockSeconds: NUMBER,
  progress: PROGRESS,
  createdAt: DATE_TIME,
  updatedAt: DATE_TIME,
});

const REVIEW_SCORE = object({ name: STRING, value: NUMBER, stringValue: STRING }, ['stringValue']);
const ITEM = object(
  {
    id: STRING,
    queueId: STRING,
    objectType: { type: 'string', enum: [...QUEUE_OBJECT_TYPES] },
    objectId: STRING,
    traceId: STRING,
    status: { type: 'string', enum: [...QUEUE_ITEM_STATUSES] },
    reviews: {
      type: 'array',
      items: object(
        {
          reviewer: STRING,
          status: { type: 'string', enum: ['locked', 'completed'] },
          lockedUntil: NUMBER,
          scores: { type: 'array', items: REVIEW_SCORE },
          comment: STRING,
          correctedOutput: {},
          completedAt: DATE_TIME,
        },
        ['lockedUntil', 'comment', 'correctedOutput', 'completedAt'],
      ),
    },
    createdAt: DATE_TIME,
    completedAt: DATE_TIME,
  },
  ['traceId', 'completedAt'],
);

const AGREEMENT = object(
  {
    evaluator: object({ id: STRING, name: STRING }),
    against: STRING,
    dataType: { type: 'string', enum: [...SCORE_DATA_TYPES] },
    pairs: NUMBER,
    categorical: object({
      labels: STRINGS,
      confusionMatrix: {
        type: 'array',
        items: { type: 'array', items: NUMBER },
        description: 'rows: people, columns: the judge',
      },
      accuracy: NUMBER,
      perLabel: {
        type: 'array',
        items: object({ label: STRING, support: NUMBER, precision: NUMBER, recall: NUMBER, f1: NUMBER }, [
          'precision',
          'recall',
          'f1',
        ]),
      },
      kappa: ESTIMATE,
    }),
    numeric: object({ pearson: ESTIMATE, spearman: ESTIMATE, meanAbsoluteDifference: NUMBER }),
    humanVsHuman: object({ pairs: NUMBER, kappa: ESTIMATE, pearson: ESTIMATE }, ['kappa', 'pearson']),
  },
  ['categorical', 'numeric'],
);

const CONFIGS = '/api/v1/score-configs';
const QUEUES = '/api/v1/annotation-queues';
const tags = ['human review'];

/** Read, change (409 on a taken name) and delete one record by id. */
function byId(schema: Schema, patch: z.ZodType, summaries: { get: string; patch: string; delete: string }) {
  return {
    parameters: [pathParam()],
    get: { tags, summary: summaries.get, responses: { 200: dataAnswer(schema), 404: notFound } },
    patch: {
      tags,
      summary: summaries.patch,
      requestBody: jsonBody(fromZod(patch)),
      responses: { 200: dataAnswer(schema), 400: bad, 404: notFound, 409: CONFLICT },
    },
    delete: { tags, summary: summaries.delete, responses: { 204: NO_CONTENT, 404: notFound } },
  };
}

/** The OpenAPI paths of this capability. */
export const ANNOTATION_PATHS: Record<string, Schema> = {
  [CONFIGS]: {
    get: {
      tags,
      summary: 'List score configs',
      parameters: [queryParam('includeArchived', 'true lists archived configs too', BOOLEAN)],
      responses: { 200: listAnswer(SCORE_CONFIG) },
    },
    post: {
      tags,
      summary: 'Create a score config (scores of its name are validated against it)',
      requestBody: jsonBody(fromZod(scoreConfigCreateSchema)),
      responses: { 201: dataAnswer(SCORE_CONFIG, 'Created'), 400: bad, 409: CONFLICT },
    },
  },
  [`${CONFIGS}/{id}`]: byId(SCORE_CONFIG, scoreConfigPatchSchema, {
    get: 'Read a score config',
    patch: 'Rename, describe, archive or restore a score config',
    delete: 'Delete a score config (its scores stay)',
  }),
  [QUEUES]: {
    get: {
      tags,
      summary: 'List annotation queues with their progress',
      responses: { 200: listAnswer(QUEUE) },
    },
    post: {
      tags,
      summary: 'Create an annotation queue',
      requestBody: jsonBody(fromZod(queueCreateSchema)),
      responses: { 201: dataAnswer(QUEUE, 'Created'), 400: bad, 404: notFound, 409: CONFLICT },
    },
  },
  [`${QUEUES}/{id}`]: byId(QUEUE, queuePatchSchema, {
    get: 'Read a queue and its progress',
    patch: 'Change a queue',
    delete: 'Delete a queue, its items and reviews',
  }),
  [`${QUEUES}/{id}/items`]: {
    parameters: [pathParam()],
    get: {
      tags,
      summary: 'List items, oldest first',
      parameters: [
        queryParam('status', 'pending, in_progress or completed', {
          type: 'string',
          enum: [...QUEUE_ITEM_STATUSES],
        }),
        queryParam('reviewer', 'Items this reviewer completed (the review screen’s history)'),
        queryParam('limit', 'Most items (default 100, at most 1,000)', NUMBER),
        queryParam('offset', 'Items to skip', NUMBER),
      ],
      responses: { 200: listAnswer(ITEM), 400: bad, 404: notFound },
    },
    post: {
      tags,
      summary: 'Add items by hand, or the traces (or spans) a /api/v1/spans filter matches',
      requestBody: jsonBody(fromZod(queueItemsAddSchema)),
      responses: {
        201: dataAnswer(object({ added: NUMBER, existing: NUMBER }), 'Added'),
        400: bad,
        404: notFound,
      },
    },
  },
  [`${QUEUES}/{id}/items/{itemId}`]: {
    parameters: [pathParam(), pathParam('itemId')],
    get: {
      tags,
      summary: 'Read an item with its reviews',
      responses: { 200: dataAnswer(ITEM), 404: notFound },
    },
    delete: { tags, summary: 'Remove an item', responses: { 204: NO_CONTENT, 404: notFound } },
  },
  [`${QUEUES}/{id}/next`]: {
    parameters: [pathParam()],
    post: {
      tags,
      summary: 'Hand the reviewer its next item and lock it (null when none is left for it)',
      requestBody: jsonBody(fromZod(queueNextSchema)),
      responses: {
        200: jsonAnswer(object({ data: { oneOf: [ITEM, { type: 'null' }] }, reviewer: STRING })),
        403: FORBIDDEN,
        404: notFound,
      },
    },
  },
  [`${QUEUES}/{id}/items/{itemId}/complete`]: {
    parameters: [pathParam(), pathParam('itemId')],
    post: {
      tags,
      summary: 'Complete a review: scores, comment, corrected output (optionally into a dataset)',
      requestBody: jsonBody(fromZod(queueCompleteSchema)),
      responses: {
        200: dataAnswer(
          object({ item: ITEM, scores: { type: 'array', items: REVIEW_SCORE }, datasetItemId: STRING }, [
            'datasetItemId',
          ]),
        ),
        400: bad,
        403: FORBIDDEN,
        404: notFound,
        409: CONFLICT,
      },
    },
  },
  [`${QUEUES}/{id}/items/{itemId}/release`]: {
    parameters: [pathParam(), pathParam('itemId')],
    post: {
      tags,
      summary: 'Give back an item the reviewer holds (skip it)',
      requestBody: jsonBody(fromZod(queueNextSchema)),
      responses: { 200: dataAnswer(object({ released: BOOLEAN })), 404: notFound },
    },
  },
  '/api/v1/quality/scores': {
    get: {
      tags,
      summary: 'Score names of a window with their count, mean and sources (the Quality page)',
      parameters: [queryParam('from', 'Window start (default: to − 7 days)'), queryParam('to', 'Window end')],
      responses: {
        200: listAnswer(object({ name: STRING, count: NUMBER, mean: NUMBER, sources: STRINGS })),
        400: bad,
      },
    },
  },
  '/api/v1/quality/lowest': {
    get: {
      tags,
      summary: 'The lowest-scored traces of a score name (drill-down)',
      parameters: [
        { ...queryParam('score', 'Score name'), required: true },
        queryParam('from', 'Window start (default: to − 7 days)'),
        queryParam('to', 'Window end'),
        queryParam('source', 'Score source (repeatable): online, human, sdk, api, eval …'),
        queryParam('model', 'Model of the trace (repeatable)'),
        queryParam('service', 'Service of the trace (repeatable)'),
        queryParam('limit', 'Most traces (default 20, at most 200)', NUMBER),
      ],
      responses: {
        200: listAnswer(
          object({
            traceId: STRING,
            spanId: STRING,
            value: NUMBER,
            stringValue: STRING,
            source: STRING,
            comment: STRING,
            time: DATE_TIME,
            model: STRING,
          }),
        ),
        400: bad,
      },
    },
  },
  '/api/v1/evaluators/{id}/agreement': {
    parameters: [pathParam()],
    get: {
      tags,
      summary: "Can this judge be trusted? Its scores against people's on the same traces and spans",
      parameters: [
        { ...queryParam('against', 'The score name people gave (source human)'), required: true },
        queryParam('from', 'Window start (default: to − the longest query window)'),
        queryParam('to', 'Window end (default: now)'),
      ],
      responses: { 200: dataAnswer(AGREEMENT), 400: bad, 404: notFound },
    },
  },
};
