/**
 * The configuration of each evaluator type, as zod schemas: the API validates an evaluator's
 * `config` with these when it is created or changed, and the OpenAPI fragment shows them.
 */
import { JUDGE_TEMPLATES } from '@argus/shared';
import { z } from 'zod';

const normalization = {
  ignoreCase: z.boolean().optional(),
  trim: z.boolean().optional(),
  collapseWhitespace: z.boolean().optional(),
  ignorePunctuation: z.boolean().optional(),
  unicode: z.boolean().optional(),
};

/** Most characters of a regex pattern. */
export const MAX_PATTERN_CHARS = 500;

export const exactMatchConfig = z.strictObject({ ...normalization });
export const containsConfig = z.strictObject({
  /** The text to find; unset = the sample's expected output. */
  value: z.string().min(1).max(10_000).optional(),
  ignoreCase: z.boolean().optional(),
});
export const regexConfig = z.strictObject({
  pattern: z.string().min(1).max(MAX_PATTERN_CHARS),
  flags: z
    .string()
    .regex(/^[imsu]{0,4}$/, 'must be made of the flags i, m, s and u')
    .optional(),
});
export const jsonValidConfig = z.strictObject({});
export const jsonSchemaConfig = z.strictObject({
  schema: z.record(z.string(), z.unknown()),
});
export const levenshteinConfig = z.strictObject({
  ignoreCase: z.boolean().optional(),
  /** Similarity at or above which the label is `pass`. */
  threshold: z.number().min(0).max(1).optional(),
});
export const numericConfig = z.strictObject({
  /** Largest absolute difference that passes (default 0). */
  tolerance: z.number().min(0).optional(),
  /** Largest difference relative to the expected value (0.01 = 1 %). */
  relativeTolerance: z.number().min(0).optional(),
});
export const embeddingConfig = z.strictObject({
  connectionId: z.string().min(1).max(100),
  /** Unset = the connection's embeddingModel. */
  model: z.string().min(1).max(200).optional(),
  threshold: z.number().min(-1).max(1).optional(),
});
export const judgeConfig = z
  .strictObject({
    connectionId: z.string().min(1).max(100),
    model: z.string().min(1).max(200),
    /** A built-in template; or `prompt` for one's own. */
    template: z.enum(JUDGE_TEMPLATES).optional(),
    /** A template with {{input}}, {{output}}, {{expected}}, {{metadata.x}}. */
    prompt: z.string().min(1).max(20_000).optional(),
    /** A numeric scale (score = (value − min) / (max − min)). */
    scale: z
      .strictObject({ min: z.number(), max: z.number() })
      .refine((s) => s.max > s.min, 'max must be above min')
      .optional(),
    /** Labels mapped to scores, e.g. { "correct": 1, "incorrect": 0 }. */
    labels: z.record(z.string().min(1).max(100), z.number()).optional(),
    /** How the judge answers: a JSON object (default) or a tool call. */
    answerWith: z.enum(['json', 'tool']).optional(),
    /** Tries when an answer cannot be parsed (default 3). */
    maxAttempts: z.number().int().min(1).max(5).optional(),
    temperature: z.number().min(0).max(2).optional(),
  })
  .refine((c) => c.template !== undefined || c.prompt !== undefined, {
    message: "needs 'template' (a built-in) or 'prompt'",
  })
  .refine((c) => !(c.scale && c.labels), { message: "takes 'scale' or 'labels', not both" })
  .refine((c) => c.labels === undefined || Object.keys(c.labels).length >= 2, {
    message: "'labels' needs at least two labels",
  });

export const perplexityConfig = z.strictObject({
  connectionId: z.string().min(1).max(100),
  /** The model that scores the text (served by the connection's /completions with echo). */
  model: z.string().min(1).max(200),
  /** Which text is scored: the expected output (default, the reference) or the output. */
  text: z.enum(['expected', 'output']).optional(),
  /** Score the text after the sample's input (default true) or on its own. */
  withInput: z.boolean().optional(),
  /** Label `pass` at or below this perplexity, `fail` above it. */
  maxPerplexity: z.number().min(1).optional(),
});

/** The config schema of each type. */
export const CONFIG_SCHEMAS = {
  exact_match: exactMatchConfig,
  contains: containsConfig,
  regex: regexConfig,
  json_valid: jsonValidConfig,
  json_schema: jsonSchemaConfig,
  levenshtein: levenshteinConfig,
  numeric: numericConfig,
  embedding_similarity: embeddingConfig,
  llm_judge: judgeConfig,
  perplexity: perplexityConfig,
} as const;

export type JudgeConfig = z.infer<typeof judgeConfig>;
