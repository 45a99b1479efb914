/**
 * The request bodies of the redaction settings API, validated with zod (the OpenAPI fragment is
 * generated from them; the policy itself is `policySchema` of policy.ts).
 */
import { z } from 'zod';

/** Longest sample text of a dry run, in characters. */
export const MAX_TEST_TEXT_CHARS = 100_000;

/** The PUT body: the policy itself, or `{ policy }` as GET answers it (its other fields ignored). */
export const putSchema = z
  .unknown()
  .transform((body) =>
    body !== null && typeof body === 'object' && !Array.isArray(body) && 'policy' in body
      ? (body as { policy: unknown }).policy
      : body,
  );

/** The dry-run body: sample text and, optionally, a draft policy (else the project's). */
export const testSchema = z
  .object({ text: z.string().max(MAX_TEST_TEXT_CHARS), policy: z.unknown().optional() })
  .strict();
