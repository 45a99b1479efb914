/**
 * OpenAPI paths of online evaluation: `/api/v1/evaluation-rules` (rules, dry run, runs,
 * backfill) and `/api/v1/output-health/settings`. Request bodies are generated from the zod
 * schemas that validate them (online/schemas.ts).
 */
import { OUTPUT_HEALTH_FLAGS, RULE_RUN_KINDS } from '@argus/shared';
import {
  BAD_REQUEST as bad,
  DATE_TIME,
  dataAnswer,
  fromZod,
  jsonBody,
  NOT_FOUND as notFound,
  object,
  pathParam,
  queryParam,
  type Schema,
  STRING,
} from '../http/openapi-helpers.ts';
import {
  backfillSchema,
  outputHealthSettingsSchema,
  ruleCreateSchema,
  rulePatchSchema,
  ruleValidateSchema,
} from './schemas.ts';

const USAGE = object({
  evaluated: { type: 'integer' },
  failed: { type: 'integer' },
  skipped: { type: 'integer' },
  spendUsd: { type: 'number' },
});
const BACKFILL = object(
  {
    from: DATE_TIME,
    to: DATE_TIME,
    status: { type: 'string', enum: ['running', 'done', 'failed'] },
    scanned: { type: 'integer', description: 'Spans passed so far' },
    startedAt: DATE_TIME,
    finishedAt: DATE_TIME,
    error: STRING,
  },
  ['finishedAt', 'error'],
);
const RULE: Schema = {
  ...fromZod(ruleCreateSchema),
  description: 'A stored rule: the fields as written (defaults applied) plus id, projectId, times and status',
};
(RULE.properties as Record<string, Schema>).id = STRING;
(RULE.properties as Record<string, Schema>).status = object(
  {
    cursorAt: { ...DATE_TIME, description: 'Insert time of the last span the worker passed' },
    lagSeconds: { type: 'number', description: 'How far behind the newest stored spans the rule is' },
    today: USAGE,
    backfill: BACKFILL,
  },
  ['cursorAt', 'lagSeconds', 'backfill'],
);
const RUN = object({
  id: STRING,
  ruleId: STRING,
  kind: { type: 'string', enum: [...RULE_RUN_KINDS] },
  traceId: STRING,
  spanId: STRING,
  evaluatorId: STRING,
  reason: STRING,
  time: DATE_TIME,
});
const DRY_RUN = object({
  matched: { type: 'integer', description: 'Recent spans matching the filter (sampled or not)' },
  sampled: { type: 'integer', description: 'Spans evaluated (the newest kept by the sampling rate)' },
  results: {
    type: 'array',
    items: object(
      {
        traceId: STRING,
        spanId: STRING,
        evaluatorId: STRING,
        score: { type: 'number' },
        label: STRING,
        explanation: STRING,
        error: STRING,
      },
      ['score', 'label', 'explanation', 'error'],
    ),
  },
});

/** The online-evaluation routes. */
export const ONLINE_PATHS: Record<string, Schema> = {
  '/api/v1/evaluation-rules': {
    get: {
      summary: 'Evaluation rules',
      description:
        'The project’s online evaluation rules, each with its worker status (cursor, lag, today’s counts and spend).',
      responses: { '200': dataAnswer({ type: 'array', items: RULE }) },
    },
    post: {
      summary: 'Create an evaluation rule',
      description:
        'A rule runs its evaluators on newly stored spans that match `filter` (the `/api/v1/spans` filters as an object), sampled deterministically by trace id, and writes their results as scores with `source: online`. `target: trace` scores each trace once, triggered by its root span. Audited as `evaluation_rule.create`.',
      requestBody: jsonBody(fromZod(ruleCreateSchema)),
      responses: { '201': dataAnswer(RULE, 'Created'), '400': bad, '404': notFound },
    },
  },
  '/api/v1/evaluation-rules/validate': {
    post: {
      summary: 'Dry-run a rule',
      description:
        'Runs a rule as it would be saved on the newest matching spans (default 5 within 24 h) and answers the results without storing scores; judge calls are traced as usual.',
      requestBody: jsonBody(fromZod(ruleValidateSchema)),
      responses: { '200': dataAnswer(DRY_RUN), '400': bad, '404': notFound },
    },
  },
  '/api/v1/evaluation-rules/{id}': {
    parameters: [pathParam()],
    get: { summary: 'An evaluation rule', responses: { '200': dataAnswer(RULE), '404': notFound } },
    patch: {
      summary: 'Change an evaluation rule',
      description: 'Any subset of the fields; `null` clears maxPerMinute, dailyBudgetUsd or actions.',
      requestBody: jsonBody(fromZod(rulePatchSchema)),
      responses: { '200': dataAnswer(RULE), '400': bad, '404': notFound },
    },
    delete: {
      summary: 'Delete an evaluation rule',
      responses: { '204': { description: 'Deleted' }, '404': notFound },
    },
  },
  '/api/v1/evaluation-rules/{id}/runs': {
    parameters: [pathParam()],
    get: {
      summary: 'Failures and skips of a rule',
      description:
        'The newest recorded outcomes (at most 1,000 are kept per rule): evaluator failures, spans skipped by maxPerMinute or dailyBudgetUsd, and actions that failed, each with its reason.',
      parameters: [
        queryParam('limit', 'Most records (1–1000, default 100).', {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
        }),
        queryParam('kind', 'Only records of this kind.', { type: 'string', enum: [...RULE_RUN_KINDS] }),
      ],
      responses: { '200': dataAnswer({ type: 'array', items: RUN }), '400': bad, '404': notFound },
    },
  },
  '/api/v1/evaluation-rules/{id}/backfill': {
    parameters: [pathParam()],
    post: {
      summary: 'Apply a rule to stored spans',
      description:
        'Starts (or restarts) a background pass of the rule over spans that started in [from, to] (to: now). Spans already scored by the rule are not scored again. Progress is in the rule’s `status.backfill`.',
      requestBody: jsonBody(fromZod(backfillSchema)),
      responses: { '202': dataAnswer(BACKFILL, 'Started'), '400': bad, '404': notFound },
    },
  },
  '/api/v1/output-health/settings': {
    get: {
      summary: 'Output-health checks of the project',
      description: `Whether the built-in checks (${OUTPUT_HEALTH_FLAGS.join(', ')}) run on the project’s LLM spans. On by default.`,
      responses: { '200': dataAnswer(fromZod(outputHealthSettingsSchema)) },
    },
    put: {
      summary: 'Turn the output-health checks on or off',
      requestBody: jsonBody(fromZod(outputHealthSettingsSchema)),
      responses: { '200': dataAnswer(fromZod(outputHealthSettingsSchema)), '400': bad },
    },
  },
};
