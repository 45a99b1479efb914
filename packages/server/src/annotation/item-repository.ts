/**
 * Items of annotation queues and their reviews (tables `annotation_items`, `annotation_reviews`,
 * migration 8). `next` hands a reviewer the oldest item that still needs a review from someone
 * and that nobody else holds — more than one reviewer only where the queue asks for double
 * review — and locks it for the queue's lock time; `complete` records the review and marks the
 * item completed once it has as many reviews as the queue asks. Both run in one transaction
 * under the queue's lock, so two reviewers never get the same slot.
 */
import { randomUUID } from 'node:crypto';
import type {
  QueueItem,
  QueueItemStatus,
  QueueItemsAdded,
  QueueObjectType,
  QueueReview,
  ReviewScore,
} from '@argus/shared';
import { ArgusError } from '../errors.ts';
import type { SqlClient, SqlValue } from '../store/metadata/sql-client.ts';
import type { QueueRepository, QueueSettings } from './queue-repository.ts';

/** An item as added. */
export interface ItemInput {
  objectType: QueueObjectType;
  objectId: string;
  traceId?: string;
}

/** A review as completed. */
export interface ReviewInput {
  scores: ReviewScore[];
  comment?: string;
  correctedOutput?: unknown;
}

interface ItemRow {
  id: string;
  queue_id: string;
  object_type: string;
  object_id: string;
  trace_id: string | null;
  status: string;
  created_at: string;
  completed_at: string | null;
}

interface ReviewRow {
  item_id: string;
  reviewer: string;
  status: string;
  locked_until: number | string;
  scores: string;
  comment: string | null;
  corrected_output: string | null;
  completed_at: string | null;
}

const ITEM_COLUMNS = 'id, queue_id, object_type, object_id, trace_id, status, created_at, completed_at';
const REVIEW_COLUMNS =
  'item_id, reviewer, status, locked_until, scores, comment, corrected_output, completed_at';

const toReview = (row: ReviewRow): QueueReview => ({
  reviewer: row.reviewer,
  status: row.status === 'completed' ? 'completed' : 'locked',
  ...(row.status === 'completed' ? {} : { lockedUntil: Number(row.locked_until) }),
  scores: JSON.parse(row.scores) as ReviewScore[],
  ...(row.comment === null ? {} : { comment: row.comment }),
  ...(row.corrected_output === null ? {} : { correctedOutput: JSON.parse(row.corrected_output) }),
  ...(row.completed_at === null ? {} : { completedAt: row.completed_at }),
});

/** An item with its live reviews: expired locks are left out, and they make it pending again. */
function toItem(row: ItemRow, reviews: ReviewRow[], nowMs: number): QueueItem {
  const live = reviews.filter((r) => r.status === 'completed' || Number(r.locked_until) > nowMs);
  const status: QueueItemStatus =
    row.status === 'completed' ? 'completed' : live.length > 0 ? 'in_progress' : 'pending';
  return {
    id: row.id,
    queueId: row.queue_id,
    objectType: row.object_type as QueueObjectType,
    objectId: row.object_id,
    ...(row.trace_id ? { traceId: row.trace_id } : {}),
    status,
    reviews: live.map(toReview),
    createdAt: row.created_at,
    ...(row.completed_at ? { completedAt: row.completed_at } : {}),
  };
}

const conflict = (message: string) => new ArgusError('CONFLICT', message);

/** Queue items and reviews of every project. */
export class ItemRepository {
  readonly #sql: SqlClient;
  readonly #queues: QueueRepository;

  constructor(sql: SqlClient, queues: QueueRepository) {
    this.#sql = sql;
    this.#queues = queues;
  }

  async #withReviews(tx: SqlClient, rows: ItemRow[], nowMs: number): Promise<QueueItem[]> {
    if (rows.length === 0) return [];
    const marks = rows.map((_, i) => `$${i + 1}`).join(', ');
    const reviews = await tx.all<ReviewRow>(
      `SELECT ${REVIEW_COLUMNS} FROM annotation_reviews WHERE item_id IN (${marks}) ORDER BY started_at, reviewer`,
      rows.map((r) => r.id),
    );
    return rows.map((row) =>
      toItem(
        row,
        reviews.filter((r) => r.item_id === row.id),
        nowMs,
      ),
    );
  }

  /** Adds items; objects already in the queue are counted as existing, not added twice. */
  async add(queueId: string, projectId: string, items: readonly ItemInput[]): Promise<QueueItemsAdded> {
    return this.#sql.transaction(async (tx) => {
      let added = 0;
      const now = Date.now();
      for (const [i, item] of items.entries()) {
        const { changes } = await tx.run(
          `INSERT INTO annotation_items (id, queue_id, project_id, object_type, object_id, trace_id, status, created_at, completed_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, NULL)
           ON CONFLICT (queue_id, object_type, object_id) DO NOTHING`,
          [
            randomUUID(),
            queueId,
            projectId,
            item.objectType,
            item.objectId,
            item.traceId?.toLowerCase() ?? null,
            // Distinct, increasing times keep the order items were given in.
            new Date(now + i).toISOString(),
          ],
        );
        added += changes;
      }
      return { added, existing: items.length - added };
    });
  }

  /** Items of a queue, oldest first; `reviewer` keeps those that reviewer completed. */
  async list(
    queueId: string,
    options: { status?: QueueItemStatus; reviewer?: string; limit: number; offset: number },
  ): Promise<QueueItem[]> {
    const where = ['i.queue_id = $1'];
    const params: SqlValue[] = [queueId];
    if (options.status === 'completed') where.push("i.status = 'completed'");
    else if (options.status) where.push("i.status = 'pending'");
    if (options.reviewer !== undefined) {
      params.push(options.reviewer);
      where.push(
        `EXISTS (SELECT 1 FROM annotation_reviews r WHERE r.item_id = i.id AND r.reviewer = $${params.length} AND r.status = 'completed')`,
      );
    }
    params.push(options.limit, options.offset);
    const rows = await this.#sql.all<ItemRow>(
      `SELECT ${ITEM_COLUMNS.replace(/(\w+)/g, 'i.$1')} FROM annotation_items i WHERE ${where.join(' AND ')}
       ORDER BY i.created_at, i.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const items = await this.#withReviews(this.#sql, rows, Date.now());
    // Pending and in progress are one stored state; the lock tells them apart.
    return options.status && options.status !== 'completed'
      ? items.filter((item) => item.status === options.status)
      : items;
  }

  async get(queueId: string, itemId: string): Promise<QueueItem | undefined> {
    const rows = await this.#sql.all<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM annotation_items WHERE queue_id = $1 AND id = $2`,
      [queueId, itemId],
    );
    return (await this.#withReviews(this.#sql, rows, Date.now()))[0];
  }

  /** Reviews others hold or finished on an item (the slots taken), excluding `reviewer`'s own. */
  async #othersTaking(tx: SqlClient, itemId: string, reviewer: string, nowMs: number): Promise<number> {
    const [row] = await tx.all<{ n: number }>(
      `SELECT COUNT(*) AS n FROM annotation_reviews WHERE item_id = $1 AND reviewer <> $2
         AND (status = 'completed' OR locked_until > $3)`,
      [itemId, reviewer, nowMs],
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Hands `reviewer` the item it already holds, else the oldest one that needs a review and has
   * a free slot, locking it; undefined when nothing is left for this reviewer.
   */
  async next(
    projectId: string,
    queueId: string,
    reviewer: string,
    check: (settings: QueueSettings) => void,
  ): Promise<QueueItem | undefined> {
    return this.#sql.transaction(async (tx) => {
      const settings = await this.#queues.settings(tx, projectId, queueId);
      if (!settings) return undefined;
      check(settings);
      const nowMs = Date.now();
      const held = await tx.all<{ item_id: string }>(
        `SELECT item_id FROM annotation_reviews WHERE queue_id = $1 AND reviewer = $2 AND status = 'locked'
           AND locked_until > $3 ORDER BY started_at LIMIT 1`,
        [queueId, reviewer, nowMs],
      );
      const free = await tx.all<{ id: string }>(
        `SELECT i.id FROM annotation_items i
         WHERE i.queue_id = $1 AND i.status = 'pending'
           AND NOT EXISTS (SELECT 1 FROM annotation_reviews r WHERE r.item_id = i.id AND r.reviewer = $2 AND r.status = 'completed')
           AND (SELECT COUNT(*) FROM annotation_reviews r WHERE r.item_id = i.id AND r.reviewer <> $2
                AND (r.status = 'completed' OR r.locked_until > $3)) < $4
         ORDER BY i.created_at, i.id LIMIT 1`,
        [queueId, reviewer, nowMs, settings.reviewsPerItem],
      );
      const itemId = held[0]?.item_id ?? free[0]?.id;
      if (itemId === undefined) return undefined;
      await tx.run(
        `INSERT INTO annotation_reviews (item_id, queue_id, reviewer, status, locked_until, scores, started_at)
         VALUES ($1, $2, $3, 'locked', $4, '[]', $5)
         ON CONFLICT (item_id, reviewer) DO UPDATE SET status = 'locked', locked_until = excluded.locked_until,
           started_at = excluded.started_at`,
        [itemId, queueId, reviewer, nowMs + settings.lockSeconds * 1000, new Date(nowMs).toISOString()],
      );
      const rows = await tx.all<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM annotation_items WHERE id = $1`, [
        itemId,
      ]);
      return (await this.#withReviews(tx, rows, nowMs))[0];
    });
  }

  /** Gives back the item `reviewer` holds in a queue (skip); true when one was held. */
  async release(queueId: string, itemId: string, reviewer: string): Promise<boolean> {
    const { changes } = await this.#sql.run(
      `DELETE FROM annotation_reviews WHERE queue_id = $1 AND item_id = $2 AND reviewer = $3 AND status = 'locked'`,
      [queueId, itemId, reviewer],
    );
    return changes > 0;
  }

  /**
   * Records `reviewer`'s review of an item (a second call replaces it) and completes the item once
   * it has the queue's number of reviews.
   * @throws ArgusError NOT_FOUND for an unknown item, CONFLICT when others took every slot.
   */
  async complete(
    settings: QueueSettings,
    itemId: string,
    reviewer: string,
    review: ReviewInput,
  ): Promise<QueueItem> {
    return this.#sql.transaction(async (tx) => {
      const rows = await tx.all<ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM annotation_items WHERE queue_id = $1 AND id = $2`,
        [settings.id, itemId],
      );
      const row = rows[0];
      if (!row)
        throw new ArgusError(
          'NOT_FOUND',
          `Cannot find queue item '${itemId.slice(0, 100)}': no such item in this queue`,
        );
      const nowMs = Date.now();
      const own = await tx.all<{ status: string }>(
        'SELECT status FROM annotation_reviews WHERE item_id = $1 AND reviewer = $2',
        [itemId, reviewer],
      );
      if (
        own[0]?.status !== 'completed' &&
        (await this.#othersTaking(tx, itemId, reviewer, nowMs)) >= settings.reviewsPerItem
      )
        throw conflict(
          `Cannot complete queue item '${itemId}': other reviewers hold or finished its ${settings.reviewsPerItem} review${settings.reviewsPerItem === 1 ? '' : 's'} (your lock expired or you never took it); ask for the next item`,
        );
      const nowIso = new Date(nowMs).toISOString();
      await tx.run(
        `INSERT INTO annotation_reviews (item_id, queue_id, reviewer, status, locked_until, scores, comment, corrected_output, started_at, completed_at)
         VALUES ($1, $2, $3, 'completed', 0, $4, $5, $6, $7, $7)
         ON CONFLICT (item_id, reviewer) DO UPDATE SET status = 'completed', locked_until = 0, scores = excluded.scores,
           comment = excluded.comment, corrected_output = excluded.corrected_output, completed_at = excluded.completed_at`,
        [
          itemId,
          settings.id,
          reviewer,
          JSON.stringify(review.scores),
          review.comment ?? null,
          review.correctedOutput === undefined ? null : JSON.stringify(review.correctedOutput),
          nowIso,
        ],
      );
      const [done] = await tx.all<{ n: number }>(
        "SELECT COUNT(*) AS n FROM annotation_reviews WHERE item_id = $1 AND status = 'completed'",
        [itemId],
      );
      if (Number(done?.n ?? 0) >= settings.reviewsPerItem && row.status !== 'completed')
        await tx.run("UPDATE annotation_items SET status = 'completed', completed_at = $2 WHERE id = $1", [
          itemId,
          nowIso,
        ]);
      const after = await tx.all<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM annotation_items WHERE id = $1`, [
        itemId,
      ]);
      return (await this.#withReviews(tx, after, nowMs))[0]!;
    });
  }

  /** Removes an item from a queue. */
  async delete(queueId: string, itemId: string): Promise<boolean> {
    return this.#sql.transaction(async (tx) => {
      await tx.run('DELETE FROM annotation_reviews WHERE item_id = $1 AND queue_id = $2', [itemId, queueId]);
      const { changes } = await tx.run('DELETE FROM annotation_items WHERE queue_id = $1 AND id = $2', [
        queueId,
        itemId,
      ]);
      return changes > 0;
    });
  }
}
