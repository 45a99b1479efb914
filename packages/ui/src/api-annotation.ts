/**
 * The typed client of human review (docs/evaluation.md): score configs, annotation queues and
 * their review flow, judge agreement and the Quality page's score series. Every call goes through
 * the console's one fetch wrapper, so it carries the project and the CSRF token.
 */
import type {
  AnnotationQueue,
  JudgeAgreement,
  LowScoredTrace,
  QueueItem,
  QueueItemsAdded,
  QueueObjectType,
  ReviewScore,
  ScoreConfig,
  ScoreGroupBy,
  ScoreSeriesResult,
} from '@argus/shared';
import { type Query, requestJson, toSearch } from './api.ts';

const enc = encodeURIComponent;
const get = <T>(path: string, query: Query, signal?: AbortSignal) =>
  requestJson<T>(path + toSearch(query), { signal });
const post = <T>(path: string, body?: unknown) => requestJson<T>(path, { method: 'POST', body });
const QUEUES = '/api/v1/annotation-queues';

/** The project's score configs. */
export function fetchScoreConfigs(signal?: AbortSignal): Promise<{ data: ScoreConfig[] }> {
  return get('/api/v1/score-configs', {}, signal);
}

/** Creates a score config. */
export function createScoreConfig(body: {
  name: string;
  dataType: ScoreConfig['dataType'];
  min?: number;
  max?: number;
  categories?: { label: string; value: number }[];
  description?: string;
}): Promise<{ data: ScoreConfig }> {
  return post('/api/v1/score-configs', body);
}

/** The project's queues with their progress. */
export function fetchQueues(signal?: AbortSignal): Promise<{ data: AnnotationQueue[] }> {
  return get(QUEUES, {}, signal);
}

/** One queue with its progress. */
export function fetchQueue(id: string, signal?: AbortSignal): Promise<{ data: AnnotationQueue }> {
  return get(`${QUEUES}/${enc(id)}`, {}, signal);
}

/** Creates a queue. */
export function createQueue(body: {
  name: string;
  description?: string;
  scoreConfigIds: string[];
  reviewsPerItem?: number;
}): Promise<{ data: AnnotationQueue }> {
  return post(QUEUES, body);
}

/** Adds objects (traces, spans) to a queue. */
export function addQueueItems(
  id: string,
  items: { objectType: QueueObjectType; objectId: string; traceId?: string }[],
): Promise<{ data: QueueItemsAdded }> {
  return post(`${QUEUES}/${enc(id)}/items`, { items });
}

/** Adds the traces a `/api/v1/spans` filter matches (newest first, at most `limit`). */
export function addQueueItemsFromFilter(
  id: string,
  filter: Record<string, string | number | string[]>,
  limit: number,
): Promise<{ data: QueueItemsAdded }> {
  return post(`${QUEUES}/${enc(id)}/items`, { filter, objectType: 'trace', limit });
}

/** Hands the signed-in reviewer the next item, locked (null when none is left for them). */
export function nextQueueItem(id: string): Promise<{ data: QueueItem | null; reviewer: string }> {
  return post(`${QUEUES}/${enc(id)}/next`, {});
}

/** One item with its reviews. */
export function fetchQueueItem(
  id: string,
  itemId: string,
  signal?: AbortSignal,
): Promise<{ data: QueueItem }> {
  return get(`${QUEUES}/${enc(id)}/items/${enc(itemId)}`, {}, signal);
}

/** The items a reviewer completed, oldest first (the review screen's history). */
export function fetchReviewed(
  id: string,
  reviewer: string,
  signal?: AbortSignal,
): Promise<{ data: QueueItem[] }> {
  return get(`${QUEUES}/${enc(id)}/items`, { reviewer, status: 'completed', limit: 1000 }, signal);
}

/** Completes the signed-in reviewer's review of an item. */
export function completeQueueItem(
  id: string,
  itemId: string,
  body: {
    scores: Record<string, number | string | boolean>;
    comment?: string;
    correctedOutput?: unknown;
    datasetId?: string;
  },
): Promise<{ data: { item: QueueItem; scores: ReviewScore[] } }> {
  return post(`${QUEUES}/${enc(id)}/items/${enc(itemId)}/complete`, body);
}

/** Gives back an item the reviewer holds (skip). */
export function releaseQueueItem(id: string, itemId: string): Promise<{ data: { released: boolean } }> {
  return post(`${QUEUES}/${enc(id)}/items/${enc(itemId)}/release`, {});
}

/** A judge's agreement with people on a score name. */
export function fetchAgreement(
  evaluatorId: string,
  against: string,
  signal?: AbortSignal,
): Promise<{ data: JudgeAgreement }> {
  return get(`/api/v1/evaluators/${enc(evaluatorId)}/agreement`, { against }, signal);
}

/** Score names of a window with counts, means and sources. */
export function fetchScoreNames(
  query: { from: string; to: string },
  signal?: AbortSignal,
): Promise<{ data: { name: string; count: number; mean: number; sources: string[] }[] }> {
  return get('/api/v1/quality/scores', query, signal);
}

/** A score's series over a window. */
export function fetchScoreSeries(
  query: { score: string; from: string; to: string; groupBy?: ScoreGroupBy; source?: string[] },
  signal?: AbortSignal,
): Promise<ScoreSeriesResult> {
  return get('/api/v1/metrics/series', query, signal);
}

/** The lowest-scored traces of a score name. */
export function fetchLowest(
  query: { score: string; from: string; to: string; source?: string[]; limit?: number },
  signal?: AbortSignal,
): Promise<{ data: LowScoredTrace[] }> {
  return get('/api/v1/quality/lowest', query, signal);
}
