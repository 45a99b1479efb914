/**
 * Wire types of drift detection (docs/behaviour.md#drift): what `/api/v1/drift/*` and
 * `/api/v1/drift-monitors*` accept and answer. The server validates with zod schemas
 * (behaviour/drift/schemas.ts) that match these.
 */

/** Features that can be compared, by kind. `score:<name>` compares a score's values. */
export const DRIFT_NUMERIC_FEATURES = [
  'inputTokens',
  'outputTokens',
  'latency',
  'ttft',
  'cost',
  'perplexity',
] as const;
export const DRIFT_CATEGORICAL_FEATURES = [
  'model',
  'finishReason',
  'toolName',
  'errorType',
  'status',
] as const;
export const DRIFT_TEXT_FEATURES = ['input', 'output'] as const;
export const DRIFT_EMBEDDING_FEATURES = ['inputEmbedding', 'outputEmbedding'] as const;
/** Every named feature (besides `score:<name>`). */
export const DRIFT_FEATURES = [
  ...DRIFT_TEXT_FEATURES,
  ...DRIFT_EMBEDDING_FEATURES,
  ...DRIFT_NUMERIC_FEATURES,
  ...DRIFT_CATEGORICAL_FEATURES,
] as const;
export type DriftFeatureName = (typeof DRIFT_FEATURES)[number] | `score:${string}`;

export type DriftFeatureKind = 'numeric' | 'categorical' | 'text' | 'embedding';
export type DriftTest =
  | 'ks'
  | 'wasserstein'
  | 'chi-squared'
  | 'jensen-shannon'
  | 'domain-classifier'
  | 'embedding-distance';

/** A window of time (ISO 8601 or epoch ms). */
export interface DriftWindow {
  from: string | number;
  to: string | number;
}

/** The span filter of a comparison: the parameters of `GET /api/v1/spans` (without from/to). */
export type DriftFilter = Record<string, string | number | string[]>;

/** The body of `POST /api/v1/drift/compare`. */
export interface DriftCompareRequest {
  filter?: DriftFilter;
  /** A window, or a dataset whose items' input and expected output are the reference texts. */
  reference: DriftWindow | { datasetId: string };
  current: DriftWindow;
  /** Default: input, output, inputTokens, outputTokens, latency, cost, model, finishReason. */
  features?: DriftFeatureName[];
  /** Spans sampled per window (default 2,000, at most 10,000). */
  sampleSize?: number;
  /** A connection whose embedding model embeds texts; default the weight-free featuriser. */
  embeddingConnectionId?: string;
}

/** A span an example or a projected point links to. */
export interface DriftSpanRef {
  traceId: string;
  spanId: string;
  /** The compared text (first 240 characters), when the feature is text. */
  text?: string;
}

/** A word that marks one side, with its z-score and the share of texts holding it per side. */
export interface DriftWord {
  word: string;
  z: number;
  referenceShare: number;
  currentShare: number;
}

/** A cluster of projected points and how much of each window it holds. */
export interface DriftCluster {
  id: number;
  size: number;
  referenceShare: number;
  currentShare: number;
  /** currentShare − referenceShare. */
  growth: number;
  words: string[];
}

/** One projected point; `window` colours it, `traceId`/`spanId` link it (absent for dataset items). */
export interface DriftPoint {
  x: number;
  y: number;
  window: 'reference' | 'current';
  cluster: number;
  traceId?: string;
  spanId?: string;
}

/** A permutation-tested distance of embedding drift. */
export interface DriftDistance {
  statistic: number;
  threshold: number;
  pValue: number;
  drifted: boolean;
}

/** The verdict on one feature. */
export interface DriftFeatureResult {
  feature: DriftFeatureName;
  kind: DriftFeatureKind;
  /** Absent when the feature was skipped. */
  test?: DriftTest;
  statistic?: number;
  pValue?: number;
  /** What the statistic (or p-value, for KS and chi-squared) is compared with. */
  threshold?: number;
  drifted: boolean;
  referenceCount: number;
  currentCount: number;
  /** Why no verdict was given (too few values). */
  skipped?: string;
  /** Numeric features: population stability index and summaries. */
  psi?: number;
  summary?: {
    reference: { mean: number; p50: number; p95: number };
    current: { mean: number; p50: number; p95: number };
  };
  /** Categorical features: the most common values' shares. */
  categories?: { value: string; referenceShare: number; currentShare: number }[];
  /** Text features. */
  words?: { reference: DriftWord[]; current: DriftWord[] };
  examples?: { reference: DriftSpanRef[]; current: DriftSpanRef[] };
  /** Embedding features. */
  embedding?: {
    source: 'featuriser' | 'connection';
    model?: string;
    centroid: DriftDistance;
    mmd: DriftDistance;
    projection: { method: 'pca-tsne'; points: DriftPoint[] };
    clusters: DriftCluster[];
  };
}

/** The answer of `POST /api/v1/drift/compare`. */
export interface DriftReport {
  drifted: boolean;
  reference: { from?: string; to?: string; datasetId?: string; count: number };
  current: { from: string; to: string; count: number };
  features: DriftFeatureResult[];
  tookMs: number;
}

/** Where a monitor takes its reference. */
export type DriftMonitorReference =
  | { type: 'fixed'; from: string; to: string }
  | { type: 'previous' }
  | { type: 'dataset'; datasetId: string };

/** A drift monitor (docs/behaviour.md#drift-monitors). */
export interface DriftMonitor {
  id: string;
  name: string;
  filter: DriftFilter;
  features: DriftFeatureName[];
  reference: DriftMonitorReference;
  /** The current window's length (`1h`, `1d`). */
  window: string;
  /** How often the monitor runs (`15m`, `1h`). */
  schedule: string;
  enabled: boolean;
  embeddingConnectionId?: string;
  sampleSize: number;
  createdAt: string;
  updatedAt: string;
  lastRunAt?: string;
  lastError?: string;
  lastDrifted?: boolean;
}

/** The body of `POST /api/v1/drift-monitors` (and, all optional, `PATCH`). */
export interface DriftMonitorInput {
  name: string;
  filter?: DriftFilter;
  features?: DriftFeatureName[];
  reference?: DriftMonitorReference;
  window?: string;
  schedule?: string;
  enabled?: boolean;
  embeddingConnectionId?: string;
  sampleSize?: number;
}

/** One run of a monitor: a point of its time series. */
export interface DriftMonitorResult {
  monitorId: string;
  /** The end of the current window. */
  time: string;
  from: string;
  to: string;
  drifted: boolean;
  referenceCount: number;
  currentCount: number;
  features: Pick<DriftFeatureResult, 'feature' | 'test' | 'statistic' | 'pValue' | 'threshold' | 'drifted'>[];
}

/** A change of the response model behind one request model, with before/after drift. */
export interface ModelChange {
  requestModel: string;
  previousModel: string;
  newModel: string;
  /** When the new response model was first seen. */
  changedAt: string;
  before: { from: string; to: string; count: number };
  after: { from: string; to: string; count: number };
  drifted: boolean;
  features: DriftFeatureResult[];
}
