/**
 * Zod schemas of the drift API: the compare request and monitor bodies. They match the wire
 * types in `@argus/shared` (drift.ts) and generate the OpenAPI fragment (openapi.ts).
 */
import { DRIFT_FEATURES } from '@argus/shared';
import { z } from 'zod';
import { durationSchema } from '../../alerts/duration.ts';

/** Largest sample per window. */
export const MAX_SAMPLE = 10_000;
export const DEFAULT_SAMPLE = 2_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

const time = z.union([z.iso.datetime({ offset: true }), z.iso.date(), z.int().min(0)]);
const window = z.strictObject({ from: time, to: time });
const filterValue = z.union([
  z.string().max(256),
  z.number().finite(),
  z.array(z.string().max(256)).max(100),
]);
/** Span filters as `GET /api/v1/spans` takes them (without from/to). */
export const filterSchema = z.record(z.string().min(1).max(64), filterValue);
const feature = z.union([
  z.enum(DRIFT_FEATURES),
  z.string().regex(/^score:.{1,200}$/s, 'expected a feature name'),
]);
const features = z
  .array(feature)
  .min(1)
  .max(20)
  .refine((list) => new Set(list).size === list.length, 'lists a feature twice');
const id = z.string().min(1).max(200);

/** The body of `POST /api/v1/drift/compare`. */
export const compareSchema = z.strictObject({
  filter: filterSchema.default({}),
  reference: z.union([window, z.strictObject({ datasetId: id })]),
  current: window,
  features: features.optional(),
  sampleSize: z.int().min(50).max(MAX_SAMPLE).default(DEFAULT_SAMPLE),
  embeddingConnectionId: id.optional(),
});
export type CompareBody = z.output<typeof compareSchema>;

const referenceSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('fixed'),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  }),
  z.strictObject({ type: z.literal('previous') }),
  z.strictObject({ type: z.literal('dataset'), datasetId: id }),
]);

const monitorFields = {
  name: z.string().trim().min(1).max(200),
  filter: filterSchema,
  features,
  reference: referenceSchema,
  window: durationSchema(5 * MINUTE, 31 * DAY),
  schedule: durationSchema(MINUTE, 7 * DAY),
  enabled: z.boolean(),
  embeddingConnectionId: id.nullable(),
  sampleSize: z.int().min(50).max(MAX_SAMPLE),
};

/** The body of `POST /api/v1/drift-monitors`. */
export const monitorCreateSchema = z.strictObject({
  name: monitorFields.name,
  filter: monitorFields.filter.default({}),
  features: monitorFields.features.optional(),
  reference: monitorFields.reference.default({ type: 'previous' }),
  window: monitorFields.window.default('1h'),
  schedule: monitorFields.schedule.default('1h'),
  enabled: monitorFields.enabled.default(true),
  embeddingConnectionId: id.optional(),
  sampleSize: monitorFields.sampleSize.default(DEFAULT_SAMPLE),
});
export type MonitorCreateBody = z.output<typeof monitorCreateSchema>;

/** The body of `PATCH /api/v1/drift-monitors/{id}`: any field; null clears the connection. */
export const monitorPatchSchema = z.strictObject(monitorFields).partial();
export type MonitorPatchBody = z.output<typeof monitorPatchSchema>;

/** Query of `GET /api/v1/drift-monitors/{id}/results`. */
export const resultsQuerySchema = z.strictObject({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** Query of routes that take none. */
export const noQuerySchema = z.strictObject({});

/** Query of `GET /api/v1/drift/model-changes`. */
export const modelChangesQuerySchema = z.strictObject({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  model: z.string().min(1).max(256).optional(),
});
