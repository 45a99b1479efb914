/**
 * Request bodies of the gateway's settings API as zod schemas: the routes validate with them and
 * the OpenAPI fragment (openapi.ts) is generated from them.
 */
import type { GatewaySettings } from '@argus/shared';
import { z } from 'zod';
import { ArgusError } from '../errors.ts';

/** The settings a project has until it changes them. */
export const DEFAULT_GATEWAY_SETTINGS: Readonly<GatewaySettings> = Object.freeze({
  allowProviderKeys: false,
  timeoutMs: 60_000,
  maxAttempts: 3,
  backoffMs: 200,
  cooldownMs: 30_000,
  keepAliveMs: 10_000,
  cache: Object.freeze({ enabled: false, ttlSeconds: 300, maxEntries: 1_000 }),
  logprobSampleRate: 0,
});

/** `PUT /api/v1/gateway/settings`: any subset; absent fields keep their value, `null` clears the default connection. */
export const settingsPatchSchema = z
  .object({
    defaultConnectionId: z.string().min(1).max(100).nullable(),
    allowProviderKeys: z.boolean(),
    timeoutMs: z.number().int().min(100).max(600_000),
    maxAttempts: z.number().int().min(1).max(10),
    backoffMs: z.number().int().min(0).max(60_000),
    cooldownMs: z.number().int().min(0).max(3_600_000),
    keepAliveMs: z.number().int().min(1_000).max(300_000),
    cache: z
      .object({
        enabled: z.boolean(),
        ttlSeconds: z
          .number()
          .int()
          .min(1)
          .max(7 * 86_400),
        maxEntries: z.number().int().min(1).max(100_000),
      })
      .partial()
      .strict(),
    logprobSampleRate: z.number().min(0).max(1),
  })
  .partial()
  .strict();

/** A model alias name: what clients send as `model`. */
const aliasName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s*?]+$/, 'may not contain spaces or wildcards');

/** `PUT /api/v1/gateway/aliases/:name`. */
export const aliasSchema = z
  .object({
    targets: z
      .array(
        z
          .object({
            connectionId: z.string().min(1).max(100),
            model: z.string().min(1).max(200),
            weight: z.number().positive().max(1_000_000).default(1),
          })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict();

/** Checks an alias name from the path. */
export const aliasNameSchema = aliasName;

/** `PUT /api/v1/gateway/keys/:keyId/limits`: absent = unlimited. */
export const keyLimitsSchema = z
  .object({
    requestsPerMinute: z.number().int().min(1).max(10_000_000),
    tokensPerMinute: z.number().int().min(1).max(10_000_000_000),
    usdPerDay: z.number().min(0).max(10_000_000),
    usdPerMonth: z.number().min(0).max(100_000_000),
    cache: z.boolean(),
  })
  .partial()
  .strict();

/** A shadow's name: what its path and its experiments' names carry. */
export const shadowNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.-]+$/, 'may hold only letters, digits, _, . and -');

/** Defaults of a shadow's optional fields. */
export const SHADOW_DEFAULTS = Object.freeze({ maxPairs: 1_000, concurrency: 4, queue: 100 });

/** `PUT /api/v1/gateway/shadows/:name`. */
export const shadowSchema = z
  .object({
    model: z.string().min(1).max(200),
    candidate: z
      .object({
        connectionId: z.string().min(1).max(100).optional(),
        model: z
          .string()
          .min(1)
          .max(200)
          .regex(/^[^*?]+$/, 'may not contain wildcards'),
      })
      .strict(),
    share: z.number().min(0).max(1),
    evaluators: z.array(z.string().min(1).max(200)).max(20).default([]),
    maxPairs: z.number().int().min(1).max(100_000).default(SHADOW_DEFAULTS.maxPairs),
    concurrency: z.number().int().min(1).max(32).default(SHADOW_DEFAULTS.concurrency),
    queue: z.number().int().min(0).max(10_000).default(SHADOW_DEFAULTS.queue),
  })
  .strict();
export type ShadowBody = z.output<typeof shadowSchema>;

/**
 * A name from a path (`/aliases/:name`, `/shadows/:name`), checked by its schema.
 * @throws ArgusError INVALID_PARAMETER naming what it is and why.
 */
export function nameFromPath(schema: z.ZodType<string>, raw: string | undefined, what: string): string {
  const parsed = schema.safeParse(raw ?? '');
  if (!parsed.success)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid ${what} name '${raw ?? ''}': ${parsed.error.issues[0]!.message}`,
    );
  return parsed.data;
}
