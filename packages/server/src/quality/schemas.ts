/**
 * Request bodies of the quality API (connections, datasets, items, evaluators) as zod schemas:
 * the routes validate with them and the OpenAPI fragment (openapi.ts) is generated from them.
 */
import { EVALUATOR_TYPES, LLM_PROVIDERS } from '@argus/shared';
import { z } from 'zod';
import { MAX_ITEM_ID_CHARS } from './dataset-import.ts';

/** Most items one upsert call takes. */
export const MAX_ITEMS_PER_CALL = 10_000;
/** Most span ids one from-spans call takes, and most spans a filter copies. */
export const MAX_FROM_SPAN_IDS = 1_000;
export const MAX_FROM_SPANS = 10_000;

const name = z.string().trim().min(1).max(200);
const modelName = z
  .string()
  .min(1)
  .max(200)
  .refine((m) => (m.match(/\*/g) ?? []).length <= 3, 'may hold at most three * wildcards');
const baseUrl = z
  .string()
  .max(2000)
  .url()
  .refine((v) => /^https?:\/\//i.test(v) && !v.includes('#'), 'must be an http(s) URL without a fragment');
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
const headers = z
  .record(
    z.string().regex(HEADER_NAME, 'must be a valid header name'),
    z
      .string()
      .max(4096)
      .regex(/^[^\r\n\0]*$/, 'may not contain line breaks or NUL'),
  )
  .refine((h) => Object.keys(h).length <= 20, 'may hold at most 20 headers')
  .refine(
    (h) =>
      !Object.keys(h).some((k) =>
        ['host', 'content-length', 'transfer-encoding', 'connection'].includes(k.toLowerCase()),
      ),
    'may not set Host, Content-Length, Transfer-Encoding or Connection',
  );

const connectionFields = {
  name,
  provider: z.enum(LLM_PROVIDERS),
  /** openai: https://api.openai.com/v1; anthropic: https://api.anthropic.com; others: required. */
  baseUrl: baseUrl.optional(),
  /** Sealed at rest, never returned. Empty or absent for servers without keys. */
  apiKey: z.string().max(4096).optional(),
  /** Extra headers (values sealed like the key). */
  headers: headers.optional(),
  models: z.array(modelName).max(100).optional(),
  embeddingModel: z.string().min(1).max(200).optional(),
  apiVersion: z.string().min(1).max(50).optional(),
};

/** Providers that have no public default endpoint. */
export const NEEDS_BASE_URL: ReadonlySet<string> = new Set(['openai-compatible', 'azure-openai']);

export const connectionCreateSchema = z
  .strictObject(connectionFields)
  .refine((c) => c.baseUrl !== undefined || !NEEDS_BASE_URL.has(c.provider), {
    message: 'is required for openai-compatible and azure-openai connections',
    path: ['baseUrl'],
  });
export const connectionPatchSchema = z.strictObject({
  ...connectionFields,
  name: name.optional(),
  provider: z.enum(LLM_PROVIDERS).optional(),
  baseUrl: baseUrl.nullable().optional(),
  embeddingModel: z.string().min(1).max(200).nullable().optional(),
  apiVersion: z.string().min(1).max(50).nullable().optional(),
});
export const connectionTestSchema = z.strictObject({
  /** The chat model to call; default the first of `models` without a wildcard. */
  model: z.string().min(1).max(200).optional(),
});

export const datasetCreateSchema = z.strictObject({
  name,
  description: z.string().max(10_000).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

const present = z.unknown().refine((v) => v !== undefined && v !== null, 'is required');
export const itemSchema = z.strictObject({
  /** The upsert key; absent = a new id. */
  id: z.string().min(1).max(MAX_ITEM_ID_CHARS).optional(),
  input: present,
  expectedOutput: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  sourceTraceId: z
    .string()
    .regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex digits')
    .optional(),
  sourceSpanId: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits')
    .optional(),
});
export const itemsUpsertSchema = z.strictObject({
  items: z.array(itemSchema).min(1).max(MAX_ITEMS_PER_CALL),
});

const filterValue = z.union([z.string().max(1000), z.number(), z.array(z.string().max(1000)).max(100)]);
export const fromSpansSchema = z.union([
  z.strictObject({
    spanIds: z
      .array(z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits'))
      .min(1)
      .max(MAX_FROM_SPAN_IDS),
    /** Window to look in (ISO 8601 or epoch ms); default the last 31 days or the retention. */
    from: z.union([z.string(), z.number()]).optional(),
    to: z.union([z.string(), z.number()]).optional(),
  }),
  z.strictObject({
    /** The filters of GET /api/v1/spans (from, to, q, service, model, kind, status, tag …). */
    filter: z.record(z.string(), filterValue),
    /** Most spans copied (default 1,000). */
    limit: z.number().int().min(1).max(MAX_FROM_SPANS).optional(),
  }),
]);

export const evaluatorCreateSchema = z.strictObject({
  name,
  type: z.enum(EVALUATOR_TYPES),
  /** The type's settings (docs/evaluation.md). */
  config: z.record(z.string(), z.unknown()).optional(),
});
export const evaluatorPatchSchema = z.strictObject({
  name: name.optional(),
  type: z.enum(EVALUATOR_TYPES).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export const evaluatorTestSchema = z.strictObject({
  input: z.unknown().optional(),
  output: present,
  expected: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
