/**
 * Wire types of explainability (docs/explainability.md): input attribution and counterfactual
 * probes of one recorded LLM call (jobs under `/api/v1/explain/*`), the bias report over a
 * dataset, concept activation vectors (`/api/v1/concepts*`) and feature importance over traffic
 * (`/api/v1/explain/importance`). The server validates requests with zod schemas that match these.
 */

export const ATTRIBUTION_GRANULARITIES = ['message', 'sentence', 'document', 'token-window'] as const;
export type AttributionGranularity = (typeof ATTRIBUTION_GRANULARITIES)[number];
export const ATTRIBUTION_METHODS = ['occlusion', 'shapley-sampling'] as const;
export type AttributionMethod = (typeof ATTRIBUTION_METHODS)[number];
export const OUTPUT_MEASURES = ['embedding', 'logprob', 'judge'] as const;
export type OutputMeasure = (typeof OUTPUT_MEASURES)[number];
export const PROBE_SETS = ['gender', 'names', 'nationality', 'age', 'negation'] as const;
export type ProbeSet = (typeof PROBE_SETS)[number];
export const EXPLAIN_JOB_KINDS = ['attribution', 'counterfactuals', 'bias'] as const;
export type ExplainJobKind = (typeof EXPLAIN_JOB_KINDS)[number];
export type ExplainJobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What a job will do before it runs: model calls, and their cost from the recorded call's. */
export interface ExplainPlan {
  /** Chat calls to the model (the replay of the full prompt included). */
  calls: number;
  /** Embedding, scoring or judge calls that measure the outputs. */
  measureCalls: number;
  segments: number;
  model: string;
  connectionId: string;
  /** calls × the recorded call's cost; undefined when the recorded call has no cost. */
  estimatedCostUsd?: number;
  /** True when `maxCalls` cut the plan (fewer Shapley permutations, or segments merged). */
  capped: boolean;
  notes: string[];
}

/** One segment of the prompt and how much removing it moved the output. */
export interface AttributionSegment {
  index: number;
  text: string;
  role: string;
  /** Where it sits: the message index in the replayed conversation. */
  messageIndex: number;
  /** 'text' (a message, sentence or window) or 'document' (a retrieved document). */
  source: 'text' | 'document';
  /** Share of the total effect, 0–1 (all segments sum to 1 when any had an effect). */
  importance: number;
  /** The raw effect: output distance above the replay's own (occlusion), or the Shapley value. */
  effect: number;
  /** The output with this segment removed (occlusion). */
  variantOutput?: string;
}

/** The result of an attribution job. */
export interface AttributionResult {
  method: AttributionMethod;
  granularity: AttributionGranularity;
  measure: OutputMeasure;
  originalOutput: string;
  /** The output of the full prompt replayed now. */
  replayOutput: string;
  /** Distance of the replay from the recorded output: the noise floor every effect is above. */
  replayDistance: number;
  segments: AttributionSegment[];
  /** Index of the most important segment, or -1. */
  top: number;
  /** Evaluator trace of the job's own calls. */
  traceId?: string;
}

/** One counterfactual variant and how the output changed. */
export interface CounterfactualVariant {
  substitutions: { from: string; to: string }[];
  /** The probe group of the variant (a probe set's value such as `female`), if any. */
  group?: string;
  prompt: string;
  output: string;
  /** Similarity of the variant output with the original output, 0–1. */
  similarity: number;
  changed: boolean;
  /** Labels of classification-like outputs (one short word or a label from a list). */
  originalLabel?: string;
  label?: string;
  labelFlipped?: boolean;
  /** A judge's verdict that the meaning is the same (0–1), when a judge model was given. */
  judgeScore?: number;
}

/** The result of a counterfactual job. */
export interface CounterfactualResult {
  originalOutput: string;
  replayOutput: string;
  variants: CounterfactualVariant[];
  /** Variants whose output changed (similarity under the threshold or label flipped). */
  changedCount: number;
  threshold: number;
  traceId?: string;
}

/** Outcome rate of one probe group in a bias report. */
export interface BiasGroup {
  group: string;
  n: number;
  positive: number;
  rate: number;
}

/** The bias report of a probe set over a dataset: outcome rates per group, chi-squared test. */
export interface BiasReport {
  probeSet: ProbeSet;
  datasetId: string;
  /** What counts as a positive outcome. */
  outcome: string;
  groups: BiasGroup[];
  items: number;
  test: { name: 'chi-squared'; statistic: number; df: number; pValue: number };
  significant: boolean;
  alpha: number;
  traceId?: string;
}

/** An explain job: attribution, counterfactuals or a bias report. */
export interface ExplainJob {
  id: string;
  kind: ExplainJobKind;
  status: ExplainJobStatus;
  traceId: string;
  spanId: string;
  request: Record<string, unknown>;
  plan: ExplainPlan;
  progress: { done: number; total: number };
  result?: AttributionResult | CounterfactualResult | BiasReport;
  error?: string;
  createdAt: string;
  updatedAt: string;
}

/** A concept activation vector. */
export interface Concept {
  id: string;
  name: string;
  field: 'input' | 'output';
  /** Held-out accuracy of the classifier (0–1): near 0.5 = the concept is not learnable here. */
  accuracy: number;
  trainCount: number;
  heldOutCount: number;
  positives: number;
  negatives: number;
  /** Random negatives were drawn from traffic because none were given. */
  randomNegatives: boolean;
  /** `featuriser` or the connection's embedding model. */
  embedding: string;
  connectionId?: string;
  /** Scored every 5 minutes into the metric points `argus.concept.share` / `argus.concept.mean`. */
  record: boolean;
  /** A span counts towards the share when its score is above this. */
  threshold: number;
  createdAt: string;
}

/** One span's concept score (0–1: the probability it carries the concept). */
export interface ConceptSpanScore {
  traceId: string;
  spanId: string;
  startTime: string;
  score: number;
  text: string;
}

/** One bucket of a concept's scores over time. */
export interface ConceptScorePoint {
  time: string;
  count: number;
  mean: number;
  /** Share of spans scoring above the threshold. */
  share: number;
}

/** Scores of a concept over a window. */
export interface ConceptScores {
  concept: string;
  threshold: number;
  points: ConceptScorePoint[];
  spans: ConceptSpanScore[];
}

export const IMPORTANCE_TARGETS = ['latency', 'cost', 'error', 'perplexity', 'outputTokens'] as const;
export type ImportanceTarget = (typeof IMPORTANCE_TARGETS)[number] | `score:${string}`;
export const IMPORTANCE_FEATURES = [
  'model',
  'temperature',
  'topP',
  'maxTokens',
  'inputTokens',
  'tag',
  'service',
  'retrievalCount',
] as const;
export type ImportanceFeature = (typeof IMPORTANCE_FEATURES)[number];

/** One feature's permutation importance. */
export interface FeatureImportance {
  feature: ImportanceFeature;
  /** Mean increase of the model's error when the feature is shuffled (target units²). */
  importance: number;
  /** 95 % interval over repeated shuffles. */
  low: number;
  high: number;
  /** How the target moves as the feature grows (numeric) or between values (categorical). */
  direction: 'up' | 'down' | 'mixed' | 'none';
  /** The interval excludes 0. */
  significant: boolean;
  /** Partial dependence: the model's mean prediction with the feature set to each value. */
  partialDependence: { value: string | number; prediction: number }[];
}

/** The feature-importance report. */
export interface ImportanceReport {
  target: ImportanceTarget;
  spans: number;
  /** R² of the fitted model on held-out spans. */
  r2: number;
  features: FeatureImportance[];
}
