/**
 * The request bodies of the alerting API, validated with zod (the OpenAPI fragment is generated
 * from them): rules, as the API and `argus alerts create --file` accept them (durations are strings,
 * `5m`; the evaluator converts them once), notification channels and silences.
 */
import {
  COMPARISONS,
  METRIC_NAMES,
  OTLP_AGGREGATIONS,
  RULE_TYPES,
  type RuleSettings,
  SCORE_AGGREGATIONS,
  SEVERITIES,
  type Silence,
} from '@argus/shared';
import { z } from 'zod';
import { durationSchema, parseDurationMs } from './duration.ts';

const SECOND = 1000;
const DAY = 86_400_000;

const label = z.string().min(1).max(200);
const filterValue = z.union([
  z.string().max(256),
  z.number().finite(),
  z.array(z.string().max(256)).max(100),
]);

/** A metric of `/api/v1/metrics/series` with the same filters (`service`, `model`, `kind` …). */
export const seriesSourceSchema = z
  .object({
    kind: z.literal('series'),
    metric: z.enum(METRIC_NAMES),
    filters: z.record(z.string().max(64), filterValue).default({}),
  })
  .strict();

/** OTLP metric points (`metric_points`): name, attribute equality filters, aggregation. */
export const otlpSourceSchema = z
  .object({
    kind: z.literal('otlpMetric'),
    name: z.string().min(1).max(256),
    attributes: z
      .record(z.string().min(1).max(256), z.string().max(1024))
      .refine((a) => Object.keys(a).length <= 20, { message: 'at most 20 attributes' })
      .default({}),
    aggregation: z.enum(OTLP_AGGREGATIONS).default('avg'),
  })
  .strict();

/** Scores of one name (`scores`), aggregated over the window. */
export const scoreSourceSchema = z
  .object({
    kind: z.literal('score'),
    name: z.string().min(1).max(200),
    aggregation: z.enum(SCORE_AGGREGATIONS).default('avg'),
    /** Only scores from this source (`online`, `api`, `sdk`, `human` …). */
    source: z.string().min(1).max(50).optional(),
    /** Only the scores one online evaluation rule wrote. */
    ruleId: z.string().min(1).max(100).optional(),
  })
  .strict();

/** Where a rule reads its value. */
export const sourceSchema = z.discriminatedUnion('kind', [
  seriesSourceSchema,
  otlpSourceSchema,
  scoreSourceSchema,
]);

const anomalySchema = z
  .object({
    /** Band half-width in robust standard deviations (1.4826·MAD). */
    sensitivity: z.number().min(0.5).max(20).default(3),
    /** Days of history the baseline learns from. */
    historyDays: z.number().int().min(1).max(28).default(14),
    direction: z.enum(['both', 'above', 'below']).default('both'),
    /** Smallest band half-width in the metric's unit (a flat series has MAD 0). */
    minBandWidth: z.number().min(0).default(0),
    /** Smallest band half-width as a fraction of the baseline. */
    minRelativeWidth: z.number().min(0).max(10).default(0.1),
  })
  .strict();

const budgetSchema = z
  .object({
    period: z.enum(['day', 'week', 'month']),
    amountUsd: z.number().positive().max(1e12),
    percentages: z
      .array(z.number().positive().max(1000))
      .min(1)
      .max(10)
      .default([80, 100])
      .transform((list) => [...new Set(list)].sort((a, b) => a - b)),
  })
  .strict();

/** A rule as written by a user (POST/PUT body). */
export const ruleInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    type: z.enum(RULE_TYPES),
    enabled: z.boolean().default(true),
    source: sourceSchema.optional(),
    window: durationSchema(SECOND, 31 * DAY).default('5m'),
    comparison: z.enum(COMPARISONS).default('>'),
    threshold: z.number().finite().optional(),
    for: durationSchema(0, DAY).optional(),
    severity: z.enum(SEVERITIES).default('warning'),
    channels: z.array(z.string().min(1).max(64)).max(20).default([]),
    renotifyInterval: durationSchema(SECOND, 7 * DAY).optional(),
    labels: z
      .record(label, z.string().max(200))
      .refine((l) => Object.keys(l).length <= 20, { message: 'at most 20 labels' })
      .default({}),
    anomaly: anomalySchema.optional(),
    budget: budgetSchema.optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (rule.type === 'threshold' && rule.threshold === undefined)
      issue('threshold', 'a threshold rule needs it');
    if (rule.type !== 'budget' && !rule.source) issue('source', `a ${rule.type} rule needs it`);
    if (rule.type === 'anomaly') {
      if (rule.source && rule.source.kind !== 'series')
        issue('source', 'anomaly rules read a series metric (kind series)');
      const windowMs = parseDurationMs(rule.window) ?? 0;
      if (windowMs % 60_000 !== 0 || windowMs > 3600_000)
        issue('window', 'an anomaly rule learns per bucket of its window: whole minutes from 1m to 1h');
    }
    if (rule.type === 'budget') {
      if (!rule.budget) issue('budget', 'a budget rule needs { period, amountUsd, percentages }');
      if (rule.source && (rule.source.kind !== 'series' || rule.source.metric !== 'costUsd'))
        issue('source', "a budget rule reads metric 'costUsd' (filters allowed)");
    }
  })
  .transform(({ source, ...rule }) => ({
    ...rule,
    // An anomaly must last one more bucket by default: a single odd bucket is noise (docs/alerts.md).
    for: rule.for ?? (rule.type === 'anomaly' ? rule.window : '0s'),
    source: source ?? ({ kind: 'series', metric: 'costUsd', filters: {} } as RuleSource),
  })) satisfies z.ZodType<RuleSettings>; // a validated rule is the API's wire type

/** A validated rule body. */
export type RuleInput = z.infer<typeof ruleInputSchema>;
/** Where a rule reads its value. */
export type RuleSource = z.infer<typeof sourceSchema>;
/** The score source of a rule. */
export type ScoreSource = z.infer<typeof scoreSourceSchema>;
/** The series source of a rule. */
export type SeriesSource = z.infer<typeof seriesSourceSchema>;
/** Anomaly options with defaults applied. */
export type AnomalyOptions = z.infer<typeof anomalySchema>;
/** Budget options with defaults applied. */
export type BudgetOptions = z.infer<typeof budgetSchema>;

/** A stored rule. */
export type AlertRule = RuleInput & { id: string; projectId: string; createdAt: string; updatedAt: string };

/** Default anomaly options (an anomaly rule without an `anomaly` object gets these). */
export const DEFAULT_ANOMALY: AnomalyOptions = anomalySchema.parse({});

const httpUrl = z
  .string()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), { message: 'expected an http(s) URL' });

const webhookConfig = z
  .object({
    url: httpUrl,
    /** HMAC-SHA256 key for `X-Argus-Signature`; empty = unsigned. */
    secret: z.string().max(500).default(''),
    headers: z.record(z.string().min(1).max(200), z.string().max(2000)).default({}),
  })
  .strict();

const slackConfig = z.object({ url: httpUrl }).strict();

const emailConfig = z
  .object({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless the connection is upgraded with STARTTLS. */
    requireTls: z.boolean().default(false),
    /** Verify the server's certificate (turn off only for self-signed test servers). */
    tlsRejectUnauthorized: z.boolean().default(true),
    user: z.string().max(500).optional(),
    pass: z.string().max(500).optional(),
    from: z.string().min(3).max(500),
    to: z.array(z.string().min(3).max(500)).min(1).max(50),
  })
  .strict();

/** A channel as written by a user. */
export const channelInputSchema = z.discriminatedUnion('type', [
  z.object({ name: z.string().min(1).max(200), type: z.literal('webhook'), config: webhookConfig }).strict(),
  z.object({ name: z.string().min(1).max(200), type: z.literal('slack'), config: slackConfig }).strict(),
  z.object({ name: z.string().min(1).max(200), type: z.literal('email'), config: emailConfig }).strict(),
]);

/** A validated channel body. */
export type ChannelInput = z.infer<typeof channelInputSchema>;
/** A stored channel. */
export type Channel = ChannelInput & { id: string; projectId: string; createdAt: string; updatedAt: string };
/** Webhook channel settings. */
export type WebhookConfig = z.infer<typeof webhookConfig>;
/** SMTP channel settings. */
export type EmailConfig = z.infer<typeof emailConfig>;

/** A silence as written by a user: a matcher and a time range. */
export const silenceInputSchema = z
  .object({
    matcher: z
      .object({
        ruleId: z.string().min(1).max(64).optional(),
        /** Every label must equal the rule's (its `labels`, plus `severity`, `type` and `name`). */
        labels: z.record(z.string().min(1).max(200), z.string().max(200)).default({}),
      })
      .strict()
      .refine((m) => m.ruleId !== undefined || Object.keys(m.labels).length > 0, {
        message: 'give ruleId or at least one label',
      }),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
    comment: z.string().max(2000).default(''),
    createdBy: z.string().max(200).default(''),
  })
  .strict()
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt ?? new Date(0).toISOString()), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });

/** A validated silence body. */
export type SilenceInput = z.infer<typeof silenceInputSchema>;
export type { Silence };
