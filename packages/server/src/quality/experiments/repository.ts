/**
 * Experiments in the metadata store (SQLite | PostgreSQL): definitions, the job's status and
 * its progress counter. Results live in ClickHouse (results-store.ts).
 */
import type { Experiment, ExperimentStatus, ExperimentSummary, ExperimentTarget } from '@argus/shared';
import type { SqlClient } from '../../store/metadata/sql-client.ts';

/** An experiment as stored: the API's shape with its progress counters and frozen summary as columns. */
export interface ExperimentRecord
  extends Omit<Experiment, 'progress' | 'summary' | 'error' | 'startedAt' | 'finishedAt'> {
  error: string | undefined;
  done: number;
  total: number;
  /** Frozen when the experiment ended. */
  summary: ExperimentSummary | undefined;
  startedAt: string | undefined;
  finishedAt: string | undefined;
}

interface Row {
  id: string;
  project_id: string;
  name: string;
  dataset_id: string;
  dataset_version: string;
  target: string;
  evaluators: string;
  repetitions: number;
  concurrency: number;
  metadata: string;
  status: string;
  error: string | null;
  done: number;
  total: number;
  summary: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const COLUMNS =
  'id, project_id, name, dataset_id, dataset_version, target, evaluators, repetitions, concurrency, metadata, status, error, done, total, summary, created_at, started_at, finished_at';

function fromRow(row: Row): ExperimentRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    datasetId: row.dataset_id,
    datasetVersion: row.dataset_version,
    target: JSON.parse(row.target) as ExperimentTarget,
    evaluators: JSON.parse(row.evaluators) as string[],
    repetitions: Number(row.repetitions),
    concurrency: Number(row.concurrency),
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    status: row.status as ExperimentStatus,
    error: row.error ?? undefined,
    done: Number(row.done),
    total: Number(row.total),
    summary: row.summary ? (JSON.parse(row.summary) as ExperimentSummary) : undefined,
    createdAt: row.created_at,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
  };
}

/** Reads and writes experiment records. */
export class ExperimentRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** Stores a new experiment. */
  async insert(e: ExperimentRecord): Promise<void> {
    await this.#sql.run(
      `INSERT INTO experiments (${COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $16)`,
      [
        e.id,
        e.projectId,
        e.name,
        e.datasetId,
        e.datasetVersion,
        JSON.stringify(e.target),
        JSON.stringify(e.evaluators),
        e.repetitions,
        e.concurrency,
        JSON.stringify(e.metadata),
        e.status,
        e.error ?? null,
        e.done,
        e.total,
        e.summary ? JSON.stringify(e.summary) : null,
        e.createdAt,
        e.startedAt ?? null,
        e.finishedAt ?? null,
      ],
    );
  }

  /** One experiment of a project, or undefined. */
  async get(projectId: string, id: string): Promise<ExperimentRecord | undefined> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM experiments WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** A project's experiments, newest first; `before` is a `createdAt|id` cursor. */
  async list(
    projectId: string,
    options: { datasetId?: string; limit: number; before?: { createdAt: string; id: string } },
  ): Promise<ExperimentRecord[]> {
    const params: (string | number)[] = [projectId];
    let where = 'project_id = $1';
    if (options.datasetId) {
      params.push(options.datasetId);
      where += ` AND dataset_id = $${params.length}`;
    }
    if (options.before) {
      params.push(options.before.createdAt, options.before.id);
      where += ` AND (created_at < $${params.length - 1} OR (created_at = $${params.length - 1} AND id < $${params.length}))`;
    }
    params.push(options.limit);
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM experiments WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(fromRow);
  }

  /** Prompt experiments a server start must resume (every project). */
  async listUnfinished(): Promise<{ projectId: string; id: string }[]> {
    const rows = await this.#sql.all<{ project_id: string; id: string }>(
      "SELECT project_id, id FROM experiments WHERE status IN ('queued', 'running') ORDER BY created_at",
    );
    return rows.map((r) => ({ projectId: r.project_id, id: r.id }));
  }

  /** Moves an experiment to a status; an ending status freezes its summary and end time. */
  async setStatus(
    projectId: string,
    id: string,
    change: { status: ExperimentStatus; error?: string; summary?: ExperimentSummary; done?: number },
  ): Promise<void> {
    const now = new Date().toISOString();
    const ended = change.status !== 'queued' && change.status !== 'running';
    await this.#sql.run(
      `UPDATE experiments SET status = $3, error = $4, summary = COALESCE($5, summary), done = COALESCE($6, done),
         started_at = CASE WHEN $3 = 'running' AND started_at IS NULL THEN $7 ELSE started_at END,
         finished_at = CASE WHEN $8 = 1 THEN $7 ELSE finished_at END, updated_at = $7
       WHERE project_id = $1 AND id = $2`,
      [
        projectId,
        id,
        change.status,
        change.error ?? null,
        change.summary ? JSON.stringify(change.summary) : null,
        change.done ?? null,
        now,
        ended ? 1 : 0,
      ],
    );
  }

  /** Records progress (item runs with a stored result). */
  async setDone(projectId: string, id: string, done: number): Promise<void> {
    await this.#sql.run(
      'UPDATE experiments SET done = $3, updated_at = $4 WHERE project_id = $1 AND id = $2',
      [projectId, id, done, new Date().toISOString()],
    );
  }

  /** Removes an experiment record; true when one was removed. */
  async delete(projectId: string, id: string): Promise<boolean> {
    const { changes } = await this.#sql.run('DELETE FROM experiments WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
    ]);
    return changes > 0;
  }
}
