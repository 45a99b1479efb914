/**
 * Wire types of human review (docs/evaluation.md, "Human review", "Judge agreement", "Quality
 * over time"): score configs, annotation queues and their items, the agreement of an evaluator
 * with people, and score series. The server validates requests against these shapes with zod
 * (annotation/schemas.ts); the console, the SDK and the CLI read them.
 */

/** The kinds of value a score config accepts. */
export const SCORE_DATA_TYPES = ['numeric', 'categorical', 'boolean'] as const;
export type ScoreDataType = (typeof SCORE_DATA_TYPES)[number];

/** One category of a categorical score: its label and the number stored as the score's value. */
export interface ScoreCategory {
  label: string;
  value: number;
}

/**
 * What a score of a name may hold. Scores of that name (API, SDK feedback, reviewers) are
 * validated against it; archiving hides it from new queues but keeps validating its name.
 */
export interface ScoreConfig {
  id: string;
  projectId: string;
  name: string;
  dataType: ScoreDataType;
  /** Numeric bounds, inclusive. */
  min?: number;
  max?: number;
  /** Categorical labels (boolean configs have `false` = 0 and `true` = 1). */
  categories?: ScoreCategory[];
  description: string;
  isArchived: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What a queue item points at. */
export const QUEUE_OBJECT_TYPES = ['trace', 'span', 'session', 'datasetItem'] as const;
export type QueueObjectType = (typeof QUEUE_OBJECT_TYPES)[number];

/** Where an item stands: waiting, held by a reviewer (locked), or reviewed as often as the queue asks. */
export const QUEUE_ITEM_STATUSES = ['pending', 'in_progress', 'completed'] as const;
export type QueueItemStatus = (typeof QUEUE_ITEM_STATUSES)[number];

/** How far a queue is: items done overall and per reviewer. */
export interface QueueProgress {
  total: number;
  completed: number;
  /** Reviews completed and items held now, per reviewer. */
  byAssignee: Record<string, { completed: number; inProgress: number }>;
}

/** An annotation queue. */
export interface AnnotationQueue {
  id: string;
  projectId: string;
  name: string;
  description: string;
  /** The score configs reviewers fill in, in order (their hotkeys follow it). */
  scoreConfigIds: string[];
  /** Who may review; empty = anyone with write access. */
  assignees: string[];
  /** Reviews each item needs: 1, or 2 for double review (human-vs-human agreement). */
  reviewsPerItem: number;
  /** How long `next` holds an item for its reviewer. */
  lockSeconds: number;
  progress: QueueProgress;
  createdAt: string;
  updatedAt: string;
}

/** A score given in a review. */
export interface ReviewScore {
  name: string;
  value: number;
  /** The category's label for categorical and boolean scores. */
  stringValue?: string;
}

/** One reviewer's review of an item. */
export interface QueueReview {
  reviewer: string;
  status: 'locked' | 'completed';
  /** Epoch ms until which the reviewer holds the item (locked reviews). */
  lockedUntil?: number;
  scores: ReviewScore[];
  comment?: string;
  correctedOutput?: unknown;
  completedAt?: string;
}

/** One item of a queue. */
export interface QueueItem {
  id: string;
  queueId: string;
  objectType: QueueObjectType;
  objectId: string;
  /** The trace the object belongs to (traces and spans), for the review screen and the scores. */
  traceId?: string;
  status: QueueItemStatus;
  reviews: QueueReview[];
  createdAt: string;
  completedAt?: string;
}

/** What `POST …/items` answers. */
export interface QueueItemsAdded {
  added: number;
  /** Items already in the queue (same object type and id). */
  existing: number;
}

/** An estimate with its 95 % confidence interval (`low`/`high` absent when too few pairs). */
export interface Estimate {
  value: number;
  low?: number;
  high?: number;
}

/** Agreement on labels: the confusion matrix is people (rows) against the judge (columns). */
export interface CategoricalAgreement {
  labels: string[];
  confusionMatrix: number[][];
  accuracy: number;
  perLabel: { label: string; support: number; precision?: number; recall?: number; f1?: number }[];
  kappa: Estimate;
}

/** Agreement on numbers. */
export interface NumericAgreement {
  pearson: Estimate;
  spearman: Estimate;
  meanAbsoluteDifference: number;
}

/** The answer of `GET /api/v1/evaluators/{id}/agreement`. */
export interface JudgeAgreement {
  evaluator: { id: string; name: string };
  /** The score name people gave. */
  against: string;
  dataType: ScoreDataType;
  /** Objects (trace or span) scored by both the judge and people. */
  pairs: number;
  categorical?: CategoricalAgreement;
  numeric?: NumericAgreement;
  /** People against each other, where two reviewers scored the same object. */
  humanVsHuman: { pairs: number; kappa?: Estimate; pearson?: Estimate };
}

/** The dimensions score series can be split by. */
export const SCORE_GROUP_BY = ['model', 'modelVersion', 'service', 'promptVersion', 'source'] as const;
export type ScoreGroupBy = (typeof SCORE_GROUP_BY)[number];

/** A score series point: the mean of the scores in the bucket and how many there were. */
export interface ScorePoint {
  time: string;
  mean: number | null;
  count: number;
}

/** The answer of `GET /api/v1/metrics/series?score=<name>`. */
export interface ScoreSeriesResult {
  score: string;
  step: number;
  from: string;
  to: string;
  groupBy: ScoreGroupBy | null;
  series: { group: Partial<Record<ScoreGroupBy, string>>; points: ScorePoint[] }[];
  totals: { mean: number | null; count: number };
}

/** A low-scored trace (the Quality page's drill-down). */
export interface LowScoredTrace {
  traceId: string;
  spanId: string;
  value: number;
  stringValue: string;
  source: string;
  comment: string;
  time: string;
  /** The model of the trace's first LLM span. */
  model: string;
}
