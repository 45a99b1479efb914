/** The request body of the score API, validated with zod (the OpenAPI fragment is generated from it). */
import { z } from 'zod';
import { validate } from '../http/json-body.ts';

/** Where a score came from. */
export const SCORE_SOURCES = ['api', 'sdk', 'user', 'eval'] as const;

/** Largest score body (256 KiB). */
export const MAX_SCORE_BODY_BYTES = 256 * 1024;
const MAX_METADATA_ENTRIES = 50;

/** The request body of `POST /api/v1/scores`. */
export const scoreSchema = z
  .object({
    traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, 'expected 32 hexadecimal characters'),
    spanId: z
      .string()
      .regex(/^[0-9a-fA-F]{16}$/, 'expected 16 hexadecimal characters')
      .optional()
      .describe('Omit to score the whole trace'),
    name: z
      .string()
      .min(1)
      .max(200)
      .meta({ examples: ['helpfulness', 'thumbs'] }),
    value: z
      .union([z.number().finite(), z.string().max(1000)])
      .describe('A number, or a category (stored as stringValue with value 0)'),
    comment: z.string().max(10_000).optional(),
    source: z.enum(SCORE_SOURCES).default('api'),
    metadata: z
      .record(z.string().max(200), z.union([z.string().max(2000), z.number().finite(), z.boolean()]))
      .refine((m) => Object.keys(m).length <= MAX_METADATA_ENTRIES, {
        message: `at most ${MAX_METADATA_ENTRIES} entries`,
      })
      .optional()
      .describe(`Values are stored as strings; at most ${MAX_METADATA_ENTRIES} entries`),
  })
  .strict();

/** A validated score body. */
export type ScoreBody = z.infer<typeof scoreSchema>;

/**
 * Validates a parsed JSON body.
 * @throws ArgusError INVALID_PARAMETER naming the first invalid field.
 */
export function parseScoreBody(json: unknown): ScoreBody {
  return validate(scoreSchema, json, 'score');
}
