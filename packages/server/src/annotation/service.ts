/**
 * Human review: queues, their items and reviews, and what a completed review writes — one score
 * per score config filled in (source `human`, the reviewer as author, on the item's trace or
 * span) and, when asked, the corrected output as the expected answer of a dataset item.
 * `addQueueItems` is the door other capabilities (online-evaluation rule actions) use.
 */
import { randomUUID } from 'node:crypto';
import type { QueueItem, QueueItemsAdded, ReviewScore, ScoreConfig } from '@argus/shared';
import type { z } from 'zod';
import { ArgusError } from '../errors.ts';
import type { DatasetRepository } from '../quality/dataset-repository.ts';
import { notFound } from '../quality/not-found.ts';
import { listSpans, listTraces, parseSpanFilters } from '../query/index.ts';
import { getTrace } from '../query/trace-detail.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import type { ScoreRow } from '../store/signal-rows.ts';
import { type ItemInput, ItemRepository } from './item-repository.ts';
import { QueueRepository, type QueueSettings } from './queue-repository.ts';
import type { queueCompleteSchema, queueItemsAddSchema } from './schemas.ts';
import { ScoreConfigRepository } from './score-config-repository.ts';
import { checkScoreValue, ScoreValidator } from './score-validation.ts';

/** The source of scores people give in review. */
export const HUMAN_SOURCE = 'human';

/** What the annotation services need. */
export interface AnnotationDeps {
  sql: SqlClient;
  driver: ClickhouseDriver;
  insertScore(score: ScoreRow): Promise<void>;
  datasets: DatasetRepository;
  /** Largest query window (spans added by id or filter). */
  maxWindowMs: number;
}

const forbidden = (reviewer: string) =>
  new ArgusError(
    'FORBIDDEN',
    `Cannot review in this queue as '${reviewer}': the queue names its assignees and not you`,
  );

/** The annotation services. */
export class AnnotationService {
  readonly configs: ScoreConfigRepository;
  readonly queues: QueueRepository;
  readonly items: ItemRepository;
  readonly validator: ScoreValidator;
  readonly #deps: AnnotationDeps;

  constructor(deps: AnnotationDeps) {
    this.#deps = deps;
    this.configs = new ScoreConfigRepository(deps.sql);
    this.queues = new QueueRepository(deps.sql);
    this.items = new ItemRepository(deps.sql, this.queues);
    this.validator = new ScoreValidator(deps.sql);
  }

  /** The score configs of ids, in order. @throws ArgusError NOT_FOUND naming the first unknown id. */
  async configsOf(projectId: string, ids: readonly string[]): Promise<ScoreConfig[]> {
    const found: ScoreConfig[] = [];
    for (const id of ids) {
      const config = await this.configs.get(projectId, id);
      if (!config) throw notFound('score config', id);
      found.push(config);
    }
    return found;
  }

  async #settings(projectId: string, queueId: string): Promise<QueueSettings> {
    const settings = await this.#deps.sql.transaction((tx) => this.queues.settings(tx, projectId, queueId));
    if (!settings) throw notFound('annotation queue', queueId);
    return settings;
  }

  /**
   * Adds items to a queue of a project (objects already there are skipped). Spans without a
   * trace id get theirs from the store. This is what rule actions call.
   * @throws ArgusError NOT_FOUND for the queue.
   */
  async addQueueItems(
    projectId: string,
    queueId: string,
    items: readonly ItemInput[],
  ): Promise<QueueItemsAdded> {
    await this.#settings(projectId, queueId);
    const withTraces = await this.#traceIdsOf(projectId, items);
    return this.items.add(queueId, projectId, withTraces);
  }

  /** Adds items by hand or by a `/api/v1/spans` filter (its traces, or its spans). */
  async addFromRequest(
    projectId: string,
    queueId: string,
    body: z.infer<typeof queueItemsAddSchema>,
  ): Promise<QueueItemsAdded> {
    if ('items' in body) return this.addQueueItems(projectId, queueId, body.items);
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(body.filter))
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
    params.set('limit', String(body.limit ?? 100));
    const isSpans = body.objectType === 'span';
    const filters = parseSpanFilters(params, {
      maxWindowMs: this.#deps.maxWindowMs,
      cursorList: isSpans ? 'spans' : 'traces',
    });
    const items: ItemInput[] = isSpans
      ? (await listSpans(this.#deps.driver, projectId, filters)).data.map((s) => ({
          objectType: 'span',
          objectId: s.spanId,
          traceId: s.traceId,
        }))
      : (await listTraces(this.#deps.driver, projectId, filters)).data.map((t) => ({
          objectType: 'trace',
          objectId: t.traceId,
          traceId: t.traceId,
        }));
    return this.addQueueItems(projectId, queueId, items);
  }

  async #traceIdsOf(projectId: string, items: readonly ItemInput[]): Promise<ItemInput[]> {
    const spanIds = items
      .filter((i) => i.objectType === 'span' && i.traceId === undefined)
      .map((i) => i.objectId.toLowerCase());
    const found = new Map<string, string>();
    if (spanIds.length > 0) {
      const rows = await this.#deps.driver.query<{ span_id: string; trace_id: string }>(
        `SELECT span_id, any(trace_id) AS trace_id FROM spans
         WHERE project_id = {projectId:String} AND span_id IN {spanIds:Array(String)}
           AND start_time >= now64(9) - toIntervalSecond({windowS:UInt32})
         GROUP BY span_id LIMIT {limit:UInt32}`,
        { projectId, spanIds, windowS: Math.ceil(this.#deps.maxWindowMs / 1000), limit: spanIds.length },
      );
      for (const r of rows) found.set(r.span_id, r.trace_id);
    }
    return items.map((item) => {
      if (item.objectType === 'trace')
        return { ...item, objectId: item.objectId.toLowerCase(), traceId: item.objectId.toLowerCase() };
      if (item.objectType !== 'span') return item;
      const objectId = item.objectId.toLowerCase();
      const traceId = item.traceId?.toLowerCase() ?? found.get(objectId);
      return { ...item, objectId, ...(traceId ? { traceId } : {}) };
    });
  }

  /** Hands `reviewer` its next item of a queue, locked. @throws ArgusError NOT_FOUND, FORBIDDEN. */
  async next(projectId: string, queueId: string, reviewer: string): Promise<QueueItem | undefined> {
    let exists = false;
    const item = await this.items.next(projectId, queueId, reviewer, (settings) => {
      exists = true;
      if (settings.assignees.length > 0 && !settings.assignees.includes(reviewer)) throw forbidden(reviewer);
    });
    if (!exists) throw notFound('annotation queue', queueId);
    return item;
  }

  /**
   * Completes `reviewer`'s review of an item: scores checked against the queue's configs, stored
   * with the review and written as scores; the corrected output optionally into a dataset.
   */
  async complete(
    projectId: string,
    ids: { queueId: string; itemId: string },
    reviewer: string,
    body: z.infer<typeof queueCompleteSchema>,
  ): Promise<{ item: QueueItem; scores: ReviewScore[]; datasetItemId?: string }> {
    const settings = await this.#settings(projectId, ids.queueId);
    if (settings.assignees.length > 0 && !settings.assignees.includes(reviewer)) throw forbidden(reviewer);
    const scores = await this.#reviewScores(projectId, settings, body.scores);
    const item = await this.items.complete(settings, ids.itemId, reviewer, {
      scores,
      ...(body.comment === undefined ? {} : { comment: body.comment }),
      ...(body.correctedOutput === undefined ? {} : { correctedOutput: body.correctedOutput }),
    });
    await this.#writeScores(projectId, item, reviewer, scores, body.comment);
    const datasetItemId =
      body.datasetId !== undefined && body.correctedOutput !== undefined
        ? await this.#toDataset(projectId, item, body.datasetId, body.correctedOutput)
        : undefined;
    return { item, scores, ...(datasetItemId ? { datasetItemId } : {}) };
  }

  async #reviewScores(
    projectId: string,
    settings: QueueSettings,
    given: Record<string, number | string | boolean>,
  ): Promise<ReviewScore[]> {
    const configs = await this.configsOf(projectId, settings.scoreConfigIds);
    const names = Object.keys(given);
    if (names.length === 0)
      throw new ArgusError('INVALID_PARAMETER', "Invalid review field 'scores': give at least one score");
    return names.map((name) => {
      const config = configs.find((c) => c.name === name);
      if (!config)
        throw new ArgusError(
          'INVALID_PARAMETER',
          `Invalid review field 'scores.${name.slice(0, 100)}': not a score config of this queue (${configs.map((c) => `'${c.name}'`).join(', ')})`,
        );
      const stored = checkScoreValue(config, given[name]!);
      return {
        name,
        value: stored.value,
        ...(stored.stringValue ? { stringValue: stored.stringValue } : {}),
      };
    });
  }

  async #writeScores(
    projectId: string,
    item: QueueItem,
    reviewer: string,
    scores: ReviewScore[],
    comment: string | undefined,
  ): Promise<void> {
    // Sessions and dataset items have no one trace: their reviews stay with the queue only.
    if (!item.traceId || (item.objectType !== 'trace' && item.objectType !== 'span')) return;
    const time = BigInt(Date.now()) * 1_000_000n;
    for (const score of scores)
      await this.#deps.insertScore({
        projectId,
        scoreId: randomUUID(),
        traceId: item.traceId,
        spanId: item.objectType === 'span' ? item.objectId : '',
        name: score.name,
        value: score.value,
        stringValue: score.stringValue ?? '',
        comment: comment ?? '',
        source: HUMAN_SOURCE,
        author: reviewer,
        timeUnixNano: time,
        metadata: { queueId: item.queueId, queueItemId: item.id },
      });
  }

  async #toDataset(
    projectId: string,
    item: QueueItem,
    datasetId: string,
    corrected: unknown,
  ): Promise<string> {
    if (!(await this.#deps.datasets.get(projectId, datasetId))) throw notFound('dataset', datasetId);
    if (!item.traceId)
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid review field 'datasetId': a ${item.objectType} item has no trace to take the input from`,
      );
    const trace = await getTrace(this.#deps.driver, projectId, item.traceId);
    const span =
      item.objectType === 'span'
        ? trace.spans.find((s) => s.spanId === item.objectId)
        : (trace.spans.find((s) => s.parentSpanId === '' && s.input !== undefined) ??
          trace.spans.find((s) => s.kind === 'llm') ??
          trace.spans[0]);
    await this.#deps.datasets.upsertItems(projectId, datasetId, [
      {
        id: item.objectId,
        input: span?.input ?? null,
        expectedOutput: corrected,
        metadata: { queueId: item.queueId, corrected: true },
        sourceTraceId: item.traceId,
        ...(span ? { sourceSpanId: span.spanId } : {}),
      },
    ]);
    return item.objectId;
  }
}
