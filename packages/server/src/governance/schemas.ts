/** The request bodies and query values of the governance API, validated with zod (the OpenAPI fragment is generated from them). */
import { z } from 'zod';
import { MAX_SUBJECT_CHARS } from './receipts.ts';

/** Body of `PUT /api/v1/settings/retention` (also how a stored policy is read back). */
export const retentionInputSchema = z
  .object({
    telemetryDays: z.number().int().min(1).max(36_500),
    contentDays: z.number().int().min(1).max(36_500),
  })
  .strict();

/** A user or session id named by an erasure. */
export const subjectValue = z
  .string()
  .min(1, 'is empty')
  .max(MAX_SUBJECT_CHARS, `is over ${MAX_SUBJECT_CHARS} characters`);

/** A trace id named by an erasure. */
export const traceIdValue = z.string().regex(/^[0-9a-fA-F]{32}$/, 'expected 32 hexadecimal characters');

/** Body of `POST /api/v1/erasures`: exactly one subject. */
export const erasureInputSchema = z
  .object({
    traceId: traceIdValue.optional(),
    userId: subjectValue.optional(),
    sessionId: subjectValue.optional(),
  })
  .strict()
  .refine((b) => [b.traceId, b.userId, b.sessionId].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of traceId, userId or sessionId',
  });
