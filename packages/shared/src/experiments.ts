/**
 * Wire types of experiments and their statistics (docs/evaluation.md): what
 * `/api/v1/experiments*` accepts and answers. The server validates with zod schemas
 * (quality/experiments/schemas.ts) that match these.
 */

/** Where an experiment is in its life. */
export const EXPERIMENT_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/** A prompt the server runs on every item through an LLM connection. */
export interface PromptTarget {
  type: 'prompt';
  connectionId: string;
  model: string;
  /** `{{input}}`, `{{input.field}}`, `{{expected}}`, `{{metadata.x}}` are filled from the item. */
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  params?: { temperature?: number; maxTokens?: number; topP?: number; seed?: number; stop?: string[] };
}

/** An application run outside Argus that posts its outputs to `…/{id}/results`. */
export interface ExternalTarget {
  type: 'external';
}

/**
 * One side of a gateway shadow (docs/gateway.md): the live calls for a model (`primary`) or the same
 * inputs sent to a candidate (`candidate`). The gateway records its results; none are posted.
 */
export interface ShadowTarget {
  type: 'shadow';
  /** The shadow's name (`/api/v1/gateway/shadows/{name}`). */
  shadow: string;
  side: 'primary' | 'candidate';
  /** The model of this side (the model callers send, or the candidate's). */
  model: string;
  /** The connection the candidate is called through (candidate side, when fixed). */
  connectionId?: string;
}

export type ExperimentTarget = PromptTarget | ExternalTarget | ShadowTarget;

/** The body of `POST /api/v1/experiments`. */
export interface ExperimentCreate {
  name: string;
  datasetId: string;
  /** A dataset version (ISO time); default its current version, pinned at creation. */
  datasetVersion?: string;
  /** Shadow experiments are made by the gateway (`/api/v1/gateway/shadows`), not here. */
  target: PromptTarget | ExternalTarget;
  /** Evaluator ids. */
  evaluators: string[];
  repetitions?: number;
  concurrency?: number;
  metadata?: Record<string, unknown>;
}

/** One evaluator's mean with its seeded 95 % bootstrap interval. */
export interface ScoreSummary {
  mean: number;
  ci95: [number, number];
  /** Scored item runs. */
  n: number;
}

/** Per-label metrics of a label dataset (the expected output is a class). */
export interface LabelReport {
  accuracy: number;
  labels: string[];
  /** `confusionMatrix[i][j]`: expected `labels[i]`, answered `labels[j]`. */
  confusionMatrix: number[][];
  perLabel: { label: string; support: number; precision?: number; recall?: number; f1?: number }[];
}

/** The statistics of an experiment over its stored results. */
export interface ExperimentSummary {
  /** Keyed by evaluator name. */
  scores: Record<string, ScoreSummary>;
  latencyMs: { p50: number; p95: number } | undefined;
  tokens: { input: number; output: number; total: number };
  costUsd: number;
  errors: number;
  /** Present for label datasets. */
  labels?: LabelReport;
}

/** An experiment. */
export interface Experiment {
  id: string;
  projectId: string;
  name: string;
  datasetId: string;
  datasetVersion: string;
  target: ExperimentTarget;
  /** Evaluator ids. */
  evaluators: string[];
  repetitions: number;
  concurrency: number;
  metadata: Record<string, unknown>;
  status: ExperimentStatus;
  /** Why the experiment failed. */
  error?: string;
  progress: { done: number; total: number };
  summary: ExperimentSummary;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

/** One item run (an item and a repetition) of an experiment. */
export interface ExperimentItemResult {
  itemId: string;
  repetition: number;
  output: unknown;
  /** The run's trace (prompt targets always; external ones when posted). */
  traceId?: string;
  /** Evaluator name → score. */
  scores: Record<string, number>;
  latencyMs?: number;
  costUsd: number;
  error?: string;
}

/** One output posted by an external target. */
export interface ExperimentResultPost {
  itemId: string;
  repetition?: number;
  output: unknown;
  traceId?: string;
  latencyMs?: number;
  costUsd?: number;
  error?: string;
  /** Scores the client computed (the SDKs' evaluator functions), by name; server evaluators win a clash. */
  scores?: Record<string, number>;
}

/** The paired comparison of one evaluator (candidate − baseline; higher scores are better). */
export interface EvaluatorComparison {
  /** Paired items (repetitions are averaged per item). */
  n: number;
  baselineMean: number;
  candidateMean: number;
  difference: number;
  ci95: [number, number];
  pValue: number;
  test: 'mcnemar_exact' | 'paired_permutation' | 'none';
  improved: number;
  regressed: number;
  unchanged: number;
  regression: boolean;
  improvement: boolean;
}

/** A paired delta of a measure (latency, cost). */
export interface MeasureDelta {
  n: number;
  baselineMean: number;
  candidateMean: number;
  delta: number;
  ci95: [number, number];
}

/** The answer of `GET /api/v1/experiments/compare`. */
export interface ExperimentComparison {
  baseline: { id: string; name: string };
  candidate: { id: string; name: string };
  alpha: number;
  /** Items present in both experiments. */
  pairedItems: number;
  /** Item and repetition pairs present in both. */
  pairedRuns: number;
  evaluators: Record<string, EvaluatorComparison>;
  latencyMs: MeasureDelta;
  costUsd: MeasureDelta;
  /** True when any evaluator regressed significantly. */
  regression: boolean;
  labels?: { baseline: LabelReport; candidate: LabelReport };
}
