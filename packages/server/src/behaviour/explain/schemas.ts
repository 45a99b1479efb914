/**
 * Request bodies of explainability (zod): attribution and counterfactual jobs on one span, the
 * bias report over a dataset, concepts, feature importance. The wire types are in @argus/shared.
 */
import {
  ATTRIBUTION_GRANULARITIES,
  ATTRIBUTION_METHODS,
  IMPORTANCE_FEATURES,
  IMPORTANCE_TARGETS,
  OUTPUT_MEASURES,
  PROBE_SETS,
} from '@argus/shared';
import { z } from 'zod';
import { filterSchema } from '../drift/schemas.ts';

const id = z.string().min(1).max(100);
const spanRef = {
  traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hex characters'),
  spanId: z.string().regex(/^[0-9a-fA-F]{16}$/, 'must be 16 hex characters'),
  connectionId: id.optional(),
  /** Only plan: answer the number of calls and the estimated cost, run nothing. */
  dryRun: z.boolean().optional(),
  /** Most model calls the job may make. */
  maxCalls: z.number().int().min(1).max(2_000).optional(),
};

export const attributionSchema = z.strictObject({
  ...spanRef,
  granularity: z.enum(ATTRIBUTION_GRANULARITIES).default('sentence'),
  method: z.enum(ATTRIBUTION_METHODS).default('occlusion'),
  outputMeasure: z.enum(OUTPUT_MEASURES).default('embedding'),
  /** Shapley sampling: permutations (fewer when maxCalls is reached). */
  permutations: z.number().int().min(1).max(100).optional(),
  /** token-window: words per window. */
  windowWords: z.number().int().min(1).max(200).optional(),
  /** judge: the judge model (served by the same connection); default the span's model. */
  judgeModel: z.string().min(1).max(200).optional(),
  seed: z.number().int().optional(),
});
export type AttributionBody = z.output<typeof attributionSchema>;

const substitution = z.strictObject({ from: z.string().min(1).max(200), to: z.string().max(200) });

export const counterfactualSchema = z
  .strictObject({
    ...spanRef,
    substitutions: z.array(substitution).min(1).max(50).optional(),
    probeSet: z.enum(PROBE_SETS).optional(),
    /** Similarity under which an output counts as changed (default 0.8). */
    threshold: z.number().min(0).max(1).optional(),
    /** Also ask this judge model whether each variant's answer means the same. */
    judgeModel: z.string().min(1).max(200).optional(),
  })
  .refine((b) => (b.substitutions === undefined) !== (b.probeSet === undefined), {
    message: "takes 'substitutions' or 'probeSet' (one of them)",
    path: ['substitutions'],
  });
export type CounterfactualBody = z.output<typeof counterfactualSchema>;

export const biasSchema = z.strictObject({
  datasetId: id,
  connectionId: id,
  model: z.string().min(1).max(200),
  probeSet: z.enum(PROBE_SETS),
  /** A positive outcome: the answer matches this regular expression (case-insensitive). */
  positivePattern: z
    .string()
    .min(1)
    .max(500)
    .refine((p) => {
      try {
        new RegExp(p, 'i');
        return true;
      } catch {
        return false;
      }
    }, 'is not a valid regular expression'),
  systemPrompt: z.string().max(20_000).optional(),
  maxItems: z.number().int().min(1).max(500).default(50),
  maxCalls: z.number().int().min(1).max(2_000).optional(),
  dryRun: z.boolean().optional(),
  alpha: z.number().gt(0).lt(1).default(0.05),
});
export type BiasBody = z.output<typeof biasSchema>;

const texts = z.array(z.string().min(1).max(20_000)).max(1_000);
const time = z.string().min(1).max(40);
/** Spans as examples: drift's span filter (as `GET /api/v1/spans` takes it), a window, a limit. */
const spanExamples = z.strictObject({
  filter: filterSchema,
  from: time.optional(),
  to: time.optional(),
  limit: z.number().int().min(2).max(1_000).default(200),
});
const examples = z.union([texts, z.strictObject({ datasetId: id }), spanExamples]);
export type ExamplesBody = z.output<typeof examples>;

export const conceptSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\p{L}\p{N}_.-]+$/u, 'may hold letters, digits, _ . and - only'),
  positives: examples,
  negatives: examples.optional(),
  field: z.enum(['input', 'output']).default('output'),
  /** Embed through this connection's embedding model; default the built-in featuriser. */
  connectionId: id.optional(),
  seed: z.number().int().optional(),
  /** Score new spans every 5 minutes into the metric points argus.concept.share and argus.concept.mean. */
  record: z.boolean().default(false),
  /** A span counts towards the recorded share when its score is above this. */
  threshold: z.number().min(0).max(1).default(0.5),
});
export type ConceptBody = z.output<typeof conceptSchema>;

export const conceptScoresQuerySchema = z.strictObject({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  service: z.string().max(200).optional(),
  model: z.string().max(200).optional(),
  threshold: z.coerce.number().min(0).max(1).default(0.5),
  /** Spans with a score above this are listed (the span filter `concept:<name> > x`). */
  minScore: z.coerce.number().min(0).max(1).optional(),
  bucket: z.enum(['minute', 'hour', 'day']).default('hour'),
  limit: z.coerce.number().int().min(1).max(2_000).default(500),
});

export const importanceSchema = z.strictObject({
  target: z.union([z.enum(IMPORTANCE_TARGETS), z.string().regex(/^score:.{1,200}$/s)]),
  features: z.array(z.enum(IMPORTANCE_FEATURES)).min(1).max(IMPORTANCE_FEATURES.length).optional(),
  filter: filterSchema.optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  sampleSize: z.number().int().min(30).max(20_000).default(2_000),
  repeats: z.number().int().min(2).max(50).default(10),
  seed: z.number().int().optional(),
});
export type ImportanceBody = z.output<typeof importanceSchema>;

/** `GET /api/v1/explain/concept-spans`: the span filter `concept:<name> > 0.8`. */
export const conceptSpansQuerySchema = conceptScoresQuerySchema
  .omit({ minScore: true, threshold: true, bucket: true })
  .extend({
    filter: z
      .string()
      .max(200)
      .regex(
        /^concept:[\p{L}\p{N}_.-]+\s*(>=|>|<=|<)\s*(0(\.\d+)?|1(\.0+)?)$/u,
        "must read 'concept:<name> > 0.8' (>, >=, <, <= and a score from 0 to 1)",
      ),
  });
