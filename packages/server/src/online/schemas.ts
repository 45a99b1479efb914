/**
 * Request schemas of the online-evaluation API (zod): rules (create and patch), a backfill
 * window, a dry run, and the output-health setting. A rule's `filter` is checked with the
 * `/spans` filter parser itself (online/filter.ts), so both accept exactly the same parameters.
 */
import { RULE_TARGETS, RULE_VARIABLES } from '@argus/shared';
import { z } from 'zod';

const id = z.string().min(1).max(100);
const filterValue = z.union([
  z.string().max(256),
  z.number().finite(),
  z.array(z.string().max(256)).max(100),
]);
/** A span field (`output`, `metadata.expected`) or JSON path (`$.input[0].parts[0].content`). */
const fieldPath = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^(\$\.)?[A-Za-z_][\w]*(\.[\w]+|\[\d+\])*$/,
    'must be a span field or a JSON path like $.output[0].content',
  );

const condition = z
  .strictObject({
    evaluatorId: id.optional(),
    scoreBelow: z.number().finite().optional(),
    scoreAbove: z.number().finite().optional(),
    label: z.string().min(1).max(100).optional(),
  })
  .refine((c) => c.scoreBelow !== undefined || c.scoreAbove !== undefined || c.label !== undefined, {
    message: "needs 'scoreBelow', 'scoreAbove' or 'label'",
  });

const actions = z
  .strictObject({
    addToDatasetId: id.optional(),
    addToQueueId: id.optional(),
    when: condition.optional(),
  })
  .refine((a) => a.addToDatasetId !== undefined || a.addToQueueId !== undefined, {
    message: "needs 'addToDatasetId' or 'addToQueueId'",
  });

const fields = {
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean(),
  filter: z
    .record(z.string().min(1).max(64), filterValue)
    .refine((f) => Object.keys(f).length <= 20, { message: 'at most 20 filters' }),
  target: z.enum(RULE_TARGETS),
  samplingRate: z.number().min(0).max(1),
  evaluators: z
    .array(id)
    .min(1)
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'lists an evaluator twice' }),
  variables: z.partialRecord(z.enum(RULE_VARIABLES), fieldPath),
  delaySeconds: z.number().int().min(0).max(86_400),
  maxPerMinute: z.number().int().min(1).max(100_000),
  dailyBudgetUsd: z.number().positive().max(1_000_000),
  actions,
};

/** `POST /api/v1/evaluation-rules` (and the rule of a dry run). */
export const ruleCreateSchema = z.strictObject({
  name: fields.name,
  enabled: fields.enabled.default(true),
  filter: fields.filter.default({}),
  target: fields.target.default('span'),
  samplingRate: fields.samplingRate.default(1),
  evaluators: fields.evaluators,
  variables: fields.variables.default({}),
  delaySeconds: fields.delaySeconds.default(0),
  maxPerMinute: fields.maxPerMinute.optional(),
  dailyBudgetUsd: fields.dailyBudgetUsd.optional(),
  actions: fields.actions.optional(),
});
export type RuleCreate = z.output<typeof ruleCreateSchema>;

/** `PATCH /api/v1/evaluation-rules/{id}`: any subset; `null` clears an optional field. */
export const rulePatchSchema = z.strictObject({
  name: fields.name.optional(),
  enabled: fields.enabled.optional(),
  filter: fields.filter.optional(),
  target: fields.target.optional(),
  samplingRate: fields.samplingRate.optional(),
  evaluators: fields.evaluators.optional(),
  variables: fields.variables.optional(),
  delaySeconds: fields.delaySeconds.optional(),
  maxPerMinute: fields.maxPerMinute.nullable().optional(),
  dailyBudgetUsd: fields.dailyBudgetUsd.nullable().optional(),
  actions: fields.actions.nullable().optional(),
});
export type RulePatch = z.output<typeof rulePatchSchema>;

/** `POST /api/v1/evaluation-rules/validate`: a rule as it would be saved, and how many recent spans to try. */
export const ruleValidateSchema = ruleCreateSchema.extend({
  name: fields.name.default('dry run'),
  /** Most recent matching spans to evaluate (default 5). */
  limit: z.number().int().min(1).max(20).default(5),
  /** How far back to look for matching spans, in hours (default 24). */
  lookbackHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(24),
});
export type RuleValidate = z.output<typeof ruleValidateSchema>;

const time = z.union([z.string().min(1).max(40), z.number().int().nonnegative()]);

/** `POST /api/v1/evaluation-rules/{id}/backfill`. */
export const backfillSchema = z.strictObject({ from: time, to: time.optional() });

/** `PUT /api/v1/output-health/settings`. */
export const outputHealthSettingsSchema = z.strictObject({ enabled: z.boolean() });
