/**
 * Wire types of online evaluation (docs/evaluation.md, "Online evaluation" and "Output
 * health"): rules that run evaluators on sampled production spans, their runs and failures,
 * backfills, dry runs, and the built-in output-health checks. The server validates requests
 * against these with zod (online/schemas.ts); the console and the CLI read them.
 */

/** What a rule scores: each matching span, or each trace once (its root span triggers it). */
export const RULE_TARGETS = ['span', 'trace'] as const;
export type RuleTarget = (typeof RULE_TARGETS)[number];

/** The sample fields a rule maps to span fields or JSON paths. */
export const RULE_VARIABLES = ['input', 'output', 'expected', 'context'] as const;
export type RuleVariable = (typeof RULE_VARIABLES)[number];

/**
 * A rule's span filter: the query parameters of `GET /api/v1/spans` (`kind`, `model`,
 * `service`, `environment`, `provider`, `status`, `tag`, `userId`, `sessionId`,
 * `minDurationMs`, `maxDurationMs`, `minCostUsd`, `q`), a list for several values.
 */
export type RuleFilter = Record<string, string | number | string[]>;

/** When a rule's actions apply: a score condition on one of its evaluators (or any of them). */
export interface RuleCondition {
  /** The evaluator whose result is tested; unset = any of the rule's evaluators. */
  evaluatorId?: string;
  /** The score is below this. */
  scoreBelow?: number;
  /** The score is above this. */
  scoreAbove?: number;
  /** The result carries this label. */
  label?: string;
}

/** What a rule does with a span after scoring it (when `when` holds, or always without it). */
export interface RuleActions {
  /** Add the span's input and output to this dataset (source trace and span recorded). */
  addToDatasetId?: string;
  /** Add the span (or trace) to this annotation queue. */
  addToQueueId?: string;
  when?: RuleCondition;
}

/** An online evaluation rule as written (POST body; PATCH takes any subset). */
export interface EvaluationRuleInput {
  name: string;
  enabled?: boolean;
  filter?: RuleFilter;
  target?: RuleTarget;
  /** 0–1; deterministic by trace id, so two rules at 0.1 score the same traces. */
  samplingRate?: number;
  /** Evaluator ids (the evaluators experiments use). */
  evaluators: string[];
  /** Span fields (`input`, `output`, `metadata.expected`, `attributes.x`) or JSON paths (`$.output[0].parts[0].content`). */
  variables?: Partial<Record<RuleVariable, string>>;
  /** Wait this long after a span is stored (the rest of its trace arriving). */
  delaySeconds?: number;
  /** Most evaluations a minute; over it, spans are skipped and recorded as such. */
  maxPerMinute?: number;
  /** Most judge spend a UTC day; over it, spans are skipped and recorded as such. */
  dailyBudgetUsd?: number;
  actions?: RuleActions;
}

/** Where a rule's worker stands. */
export interface EvaluationRuleStatus {
  /** Insert time of the last span the worker passed, ISO 8601; unset before the first. */
  cursorAt?: string;
  /** Seconds between now and the cursor (how far the rule is behind). */
  lagSeconds?: number;
  /** Today's (UTC) counts and judge spend. */
  today: { evaluated: number; failed: number; skipped: number; spendUsd: number };
  /** A backfill in progress or finished last. */
  backfill?: BackfillStatus;
}

/** A stored rule. */
export interface EvaluationRule {
  id: string;
  projectId: string;
  name: string;
  enabled: boolean;
  filter: RuleFilter;
  target: RuleTarget;
  samplingRate: number;
  evaluators: string[];
  variables: Partial<Record<RuleVariable, string>>;
  delaySeconds: number;
  maxPerMinute?: number;
  dailyBudgetUsd?: number;
  actions?: RuleActions;
  createdAt: string;
  updatedAt: string;
  status?: EvaluationRuleStatus;
}

/** Kinds of run records: a failure (with its reason), a skip (rate, budget), an action that failed. */
export const RULE_RUN_KINDS = ['failure', 'skipped', 'action_failed'] as const;
export type RuleRunKind = (typeof RULE_RUN_KINDS)[number];

/** One recorded run outcome of a rule (`GET /api/v1/evaluation-rules/{id}/runs`). */
export interface EvaluationRuleRun {
  id: string;
  ruleId: string;
  kind: RuleRunKind;
  traceId: string;
  /** Empty for a trace-target rule. */
  spanId: string;
  /** Empty when the outcome is not one evaluator's (a skip, an action). */
  evaluatorId: string;
  reason: string;
  time: string;
}

/** A backfill of a rule over stored spans. */
export interface BackfillStatus {
  from: string;
  to: string;
  status: 'running' | 'done' | 'failed';
  /** Spans passed so far. */
  scanned: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

/** One result of a dry run. */
export interface RuleDryRunResult {
  traceId: string;
  spanId: string;
  evaluatorId: string;
  score?: number;
  label?: string;
  explanation?: string;
  error?: string;
}

/** The answer of `POST /api/v1/evaluation-rules/validate`. */
export interface RuleDryRun {
  /** Recent spans that match the filter (at most the dry run's limit). */
  matched: number;
  /** Of those, the ones the sampling rate keeps. */
  sampled: number;
  results: RuleDryRunResult[];
}

/** The built-in output-health checks, run on every LLM span. */
export const OUTPUT_HEALTH_FLAGS = [
  'truncated',
  'empty',
  'refusal',
  'repetition',
  'language_mismatch',
  'invalid_json',
  'undeclared_tool',
] as const;
export type OutputHealthFlag = (typeof OUTPUT_HEALTH_FLAGS)[number];

/** A project's output-health setting (`GET/PUT /api/v1/output-health/settings`). */
export interface OutputHealthSettings {
  enabled: boolean;
}
