/**
 * Zod schemas of the experiment API: request bodies and query parameters. They match the wire
 * types in `@argus/shared` (experiments.ts) and generate the OpenAPI fragment (openapi.ts).
 */
import { z } from 'zod';

/** Largest item runs one POST of external results may carry. */
export const MAX_RESULTS_PER_POST = 1_000;
/** Bounds of an experiment's knobs. */
export const MAX_REPETITIONS = 20;
export const MAX_CONCURRENCY = 32;

const jsonRecord = z.record(z.string().max(200), z.unknown());

const promptMessage = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1).max(100_000),
});

export const promptTargetSchema = z.strictObject({
  type: z.literal('prompt'),
  connectionId: z.string().min(1).max(200),
  model: z.string().min(1).max(200),
  messages: z.array(promptMessage).min(1).max(50),
  params: z
    .strictObject({
      temperature: z.number().min(0).max(2).optional(),
      maxTokens: z.int().min(1).max(1_000_000).optional(),
      topP: z.number().min(0).max(1).optional(),
      seed: z.int().optional(),
      stop: z.array(z.string().max(100)).max(4).optional(),
    })
    .optional(),
});

export const externalTargetSchema = z.strictObject({ type: z.literal('external') });

/** The body of `POST /api/v1/experiments`. */
export const experimentCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  datasetId: z.string().min(1).max(200),
  datasetVersion: z.iso.datetime({ offset: true }).optional(),
  target: z.discriminatedUnion('type', [promptTargetSchema, externalTargetSchema]),
  evaluators: z.array(z.string().min(1).max(200)).max(20).default([]),
  repetitions: z.int().min(1).max(MAX_REPETITIONS).default(1),
  concurrency: z.int().min(1).max(MAX_CONCURRENCY).default(4),
  metadata: jsonRecord.default({}),
});
export type ExperimentCreateBody = z.output<typeof experimentCreateSchema>;

const resultPost = z.strictObject({
  itemId: z.string().min(1).max(200),
  repetition: z
    .int()
    .min(0)
    .max(MAX_REPETITIONS - 1)
    .default(0),
  output: z.unknown(),
  traceId: z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/, 'expected 32 hexadecimal characters')
    .optional(),
  latencyMs: z.number().min(0).max(86_400_000).optional(),
  costUsd: z.number().min(0).max(1_000_000).optional(),
  error: z.string().max(10_000).optional(),
  /** Scores computed by the client (SDK evaluator functions), by name; server evaluators win a clash. */
  scores: z
    .record(z.string().min(1).max(200), z.number().refine(Number.isFinite, 'must be a finite number'))
    .refine((s) => Object.keys(s).length <= 50, 'may hold at most 50 scores')
    .optional(),
});

/** The body of `POST /api/v1/experiments/{id}/results`: an array, or `{ results: [...] }`. */
export const resultsPostSchema = z.union([
  z.array(resultPost).min(1).max(MAX_RESULTS_PER_POST),
  z
    .strictObject({ results: z.array(resultPost).min(1).max(MAX_RESULTS_PER_POST) })
    .transform((b) => b.results),
]);
export type ResultsPostBody = z.output<typeof resultsPostSchema>;

/** Query of `GET /api/v1/experiments/compare`. */
export const compareQuerySchema = z.strictObject({
  baseline: z.string().min(1).max(200),
  candidate: z.string().min(1).max(200),
  alpha: z.coerce.number().gt(0).max(0.5).default(0.05),
});

/** Query of `GET /api/v1/experiments`. */
export const listQuerySchema = z.strictObject({
  datasetId: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** Query of `GET /api/v1/experiments/{id}/items`. */
export const itemsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  cursor: z.string().regex(/^\d+$/, 'expected the nextCursor of the previous page').optional(),
});
