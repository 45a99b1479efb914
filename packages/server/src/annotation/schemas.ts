/**
 * Request bodies of the human-review API (score configs, annotation queues, their items and
 * reviews) as zod schemas: the routes validate with them and the OpenAPI fragment is generated
 * from them.
 */
import { QUEUE_OBJECT_TYPES, SCORE_DATA_TYPES } from '@argus/shared';
import { z } from 'zod';

/** Most items one add call takes, and most spans or traces a filter adds. */
export const MAX_ITEMS_PER_CALL = 1_000;
/** Longest lock `next` may take (a day); the default is 10 minutes. */
export const MAX_LOCK_SECONDS = 86_400;
export const DEFAULT_LOCK_SECONDS = 600;

const name = z.string().trim().min(1).max(200);
const reviewer = z.string().trim().min(1).max(200);
const category = z.strictObject({ label: z.string().trim().min(1).max(200), value: z.number().finite() });

const configFields = {
  name,
  dataType: z.enum(SCORE_DATA_TYPES),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  categories: z.array(category).min(1).max(100).optional(),
  description: z.string().max(2000).optional(),
};

export const scoreConfigCreateSchema = z.strictObject(configFields);
/** A change: the name, description and archive flag; the data type and its bounds stay (scores exist). */
export const scoreConfigPatchSchema = z.strictObject({
  name: name.optional(),
  description: z.string().max(2000).optional(),
  isArchived: z.boolean().optional(),
});

const queueFields = {
  name,
  description: z.string().max(2000).optional(),
  scoreConfigIds: z.array(z.string().min(1).max(100)).min(1).max(20),
  assignees: z.array(reviewer).max(100).optional(),
  /** 2 asks for double review: two different reviewers per item (human-vs-human agreement). */
  reviewsPerItem: z.number().int().min(1).max(2).optional(),
  lockSeconds: z.number().int().min(10).max(MAX_LOCK_SECONDS).optional(),
};
export const queueCreateSchema = z.strictObject(queueFields);
export const queuePatchSchema = z.strictObject({
  name: name.optional(),
  description: queueFields.description,
  scoreConfigIds: queueFields.scoreConfigIds.optional(),
  assignees: queueFields.assignees,
  lockSeconds: queueFields.lockSeconds,
});

const itemSchema = z.strictObject({
  objectType: z.enum(QUEUE_OBJECT_TYPES),
  objectId: z.string().trim().min(1).max(500),
  /** The trace a span belongs to (found from the span when absent). */
  traceId: z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/, 'expected 32 hexadecimal characters')
    .optional(),
});
const filterValue = z.union([z.string().max(1000), z.number(), z.array(z.string().max(1000)).max(100)]);

/** Items by hand, or the traces (or spans) a `/api/v1/spans` filter matches. */
export const queueItemsAddSchema = z.union([
  z.strictObject({ items: z.array(itemSchema).min(1).max(MAX_ITEMS_PER_CALL) }),
  z.strictObject({
    filter: z.record(z.string(), filterValue),
    objectType: z.enum(['trace', 'span']).optional(),
    limit: z.number().int().min(1).max(MAX_ITEMS_PER_CALL).optional(),
  }),
]);

export const queueNextSchema = z.strictObject({
  /** Who reviews; signed-in users always review as themselves. */
  reviewer: reviewer.optional(),
});

const scoreValue = z.union([z.number().finite(), z.string().max(200), z.boolean()]);
export const queueCompleteSchema = z.strictObject({
  reviewer: reviewer.optional(),
  /** By score config name: a number, a category label, or a boolean. */
  scores: z.record(z.string().max(200), scoreValue).refine((s) => Object.keys(s).length <= 20, {
    message: 'at most 20 scores',
  }),
  comment: z.string().max(10_000).optional(),
  correctedOutput: z.unknown().optional(),
  /** Pushes the corrected output into this dataset as the expected answer of the object's input. */
  datasetId: z.string().min(1).max(100).optional(),
});

export const queueReleaseSchema = queueNextSchema;
