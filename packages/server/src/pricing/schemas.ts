/** The price overrides a project may set, validated with zod (the OpenAPI fragment is generated from it). */
import { z } from 'zod';

const price = z.number().finite().min(0);

/** One override: a model (or a prefix ending in `*`) and its prices in USD per 1M tokens. */
export const priceOverrideSchema = z
  .object({
    model: z
      .string()
      .min(1)
      .max(200)
      .describe('Exact model id (its dated snapshots match too) or a prefix ending in *'),
    provider: z.string().max(100).optional(),
    inputPerMTok: price.describe('USD per 1M input tokens'),
    outputPerMTok: price,
    cacheReadPerMTok: price.optional(),
    cacheWritePerMTok: price.optional(),
  })
  .strict();

/** A project's overrides (the `data` of `PUT /api/v1/pricing/overrides`). */
export const overridesSchema = z.array(priceOverrideSchema).max(1000);
