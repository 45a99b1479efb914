/**
 * Annotation queues in the metadata store (table `annotation_queues`, migration 8) with their
 * progress, read from their items and reviews.
 */
import { randomUUID } from 'node:crypto';
import type { AnnotationQueue, QueueProgress } from '@argus/shared';
import { assertNameFree } from '../quality/name-free.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { DEFAULT_LOCK_SECONDS } from './schemas.ts';

/** A queue as created or changed. */
export interface QueueInput {
  name: string;
  description?: string;
  scoreConfigIds: string[];
  assignees?: string[];
  reviewsPerItem?: number;
  lockSeconds?: number;
}

/** A queue's settings as `next` and `complete` read them (under the queue's lock). */
export interface QueueSettings {
  id: string;
  scoreConfigIds: string[];
  assignees: string[];
  reviewsPerItem: number;
  lockSeconds: number;
}

interface Row {
  id: string;
  project_id: string;
  name: string;
  description: string;
  score_config_ids: string;
  assignees: string;
  reviews_per_item: number;
  lock_seconds: number;
  created_at: string;
  updated_at: string;
}

const COLUMNS =
  'id, project_id, name, description, score_config_ids, assignees, reviews_per_item, lock_seconds, created_at, updated_at';

const toQueue = (row: Row, progress: QueueProgress): AnnotationQueue => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  description: row.description,
  scoreConfigIds: JSON.parse(row.score_config_ids) as string[],
  assignees: JSON.parse(row.assignees) as string[],
  reviewsPerItem: Number(row.reviews_per_item),
  lockSeconds: Number(row.lock_seconds),
  progress,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Annotation queues of every project. */
export class QueueRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async list(projectId: string): Promise<AnnotationQueue[]> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM annotation_queues WHERE project_id = $1 ORDER BY name`,
      [projectId],
    );
    return Promise.all(rows.map(async (row) => toQueue(row, await this.progress(row.id))));
  }

  async get(projectId: string, id: string): Promise<AnnotationQueue | undefined> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM annotation_queues WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ? toQueue(rows[0], await this.progress(id)) : undefined;
  }

  /**
   * A queue's settings inside a transaction; on PostgreSQL the row is locked so `next` and
   * `complete` of one queue run one at a time (SQLite's write transaction already does that).
   */
  async settings(tx: SqlClient, projectId: string, id: string): Promise<QueueSettings | undefined> {
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await tx.all<Row>(
      `SELECT ${COLUMNS} FROM annotation_queues WHERE project_id = $1 AND id = $2${lock}`,
      [projectId, id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      scoreConfigIds: JSON.parse(row.score_config_ids) as string[],
      assignees: JSON.parse(row.assignees) as string[],
      reviewsPerItem: Number(row.reviews_per_item),
      lockSeconds: Number(row.lock_seconds),
    };
  }

  /** Items done overall, and reviews done and items held now per reviewer. */
  async progress(queueId: string, nowMs = Date.now()): Promise<QueueProgress> {
    const [counts] = await this.#sql.all<{ total: number; completed: number | null }>(
      `SELECT COUNT(*) AS total, SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed
       FROM annotation_items WHERE queue_id = $1`,
      [queueId],
    );
    const reviewers = await this.#sql.all<{ reviewer: string; completed: number; held: number }>(
      `SELECT reviewer,
         SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed,
         SUM(CASE WHEN status = 'locked' AND locked_until > $2 THEN 1 ELSE 0 END) AS held
       FROM annotation_reviews WHERE queue_id = $1 GROUP BY reviewer ORDER BY reviewer`,
      [queueId, nowMs],
    );
    const byAssignee: QueueProgress['byAssignee'] = {};
    for (const r of reviewers)
      if (Number(r.completed) > 0 || Number(r.held) > 0)
        byAssignee[r.reviewer] = { completed: Number(r.completed), inProgress: Number(r.held) };
    return { total: Number(counts?.total ?? 0), completed: Number(counts?.completed ?? 0), byAssignee };
  }

  async create(projectId: string, input: QueueInput): Promise<AnnotationQueue> {
    await assertNameFree(this.#sql, { what: 'annotation queue', projectId, name: input.name });
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.#sql.run(
      `INSERT INTO annotation_queues (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
      [
        id,
        projectId,
        input.name,
        input.description ?? '',
        JSON.stringify(input.scoreConfigIds),
        JSON.stringify(input.assignees ?? []),
        input.reviewsPerItem ?? 1,
        input.lockSeconds ?? DEFAULT_LOCK_SECONDS,
        now,
      ],
    );
    return (await this.get(projectId, id))!;
  }

  /** Changes a queue (its review count stays: items already reviewed were counted by it). */
  async update(
    projectId: string,
    id: string,
    patch: Partial<Omit<QueueInput, 'reviewsPerItem'>>,
  ): Promise<AnnotationQueue | undefined> {
    const current = await this.get(projectId, id);
    if (!current) return undefined;
    if (patch.name !== undefined && patch.name !== current.name)
      await assertNameFree(this.#sql, {
        what: 'annotation queue',
        projectId,
        name: patch.name,
        exceptId: id,
      });
    await this.#sql.run(
      `UPDATE annotation_queues SET name = $3, description = $4, score_config_ids = $5, assignees = $6,
         lock_seconds = $7, updated_at = $8 WHERE project_id = $1 AND id = $2`,
      [
        projectId,
        id,
        patch.name ?? current.name,
        patch.description ?? current.description,
        JSON.stringify(patch.scoreConfigIds ?? current.scoreConfigIds),
        JSON.stringify(patch.assignees ?? current.assignees),
        patch.lockSeconds ?? current.lockSeconds,
        new Date().toISOString(),
      ],
    );
    return this.get(projectId, id);
  }

  /** Deletes a queue with its items and reviews (scores already written stay). */
  async delete(projectId: string, id: string): Promise<boolean> {
    return this.#sql.transaction(async (tx) => {
      const found = await tx.all('SELECT id FROM annotation_queues WHERE project_id = $1 AND id = $2', [
        projectId,
        id,
      ]);
      if (found.length === 0) return false;
      await tx.run('DELETE FROM annotation_reviews WHERE queue_id = $1', [id]);
      await tx.run('DELETE FROM annotation_items WHERE queue_id = $1', [id]);
      await tx.run('DELETE FROM annotation_queues WHERE id = $1', [id]);
      return true;
    });
  }
}
