/**
 * Explain jobs in the metadata store (migration 11): one row per attribution, counterfactual or
 * bias job with its request, plan, progress and result as JSON, found by id or by the span it
 * explains (the trace view lists a span's explanations).
 */
import { randomUUID } from 'node:crypto';
import type { ExplainJob, ExplainJobKind, ExplainJobStatus, ExplainPlan } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import type { SqlClient } from '../../store/metadata/sql-client.ts';

interface JobRow {
  id: string;
  project_id: string;
  kind: string;
  status: string;
  trace_id: string;
  span_id: string;
  request: string;
  plan: string;
  done: number;
  total: number;
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS =
  'id, project_id, kind, status, trace_id, span_id, request, plan, done, total, result, error, created_at, updated_at';

function toJob(row: JobRow): ExplainJob {
  return {
    id: row.id,
    kind: row.kind as ExplainJobKind,
    status: row.status as ExplainJobStatus,
    traceId: row.trace_id,
    spanId: row.span_id,
    request: JSON.parse(row.request),
    plan: JSON.parse(row.plan),
    progress: { done: Number(row.done), total: Number(row.total) },
    ...(row.result ? { result: JSON.parse(row.result) } : {}),
    ...(row.error ? { error: row.error } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Most jobs listed for one span. */
export const MAX_SPAN_JOBS = 50;

/** Explain jobs of every project. */
export class ExplainJobRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** Creates a queued job. */
  async create(
    projectId: string,
    input: {
      kind: ExplainJobKind;
      traceId: string;
      spanId: string;
      request: object;
      plan: ExplainPlan;
      total: number;
    },
  ): Promise<ExplainJob> {
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.#sql.run(
      `INSERT INTO explain_jobs (${COLUMNS}) VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, 0, $8, NULL, NULL, $9, $9)`,
      [
        id,
        projectId,
        input.kind,
        input.traceId,
        input.spanId,
        JSON.stringify(input.request),
        JSON.stringify(input.plan),
        input.total,
        now,
      ],
    );
    return (await this.get(projectId, id))!;
  }

  async get(projectId: string, id: string): Promise<ExplainJob | undefined> {
    const [row] = await this.#sql.all<JobRow>(
      `SELECT ${COLUMNS} FROM explain_jobs WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return row ? toJob(row) : undefined;
  }

  /** @throws ArgusError NOT_FOUND. */
  async require(projectId: string, id: string): Promise<ExplainJob> {
    const job = await this.get(projectId, id);
    if (!job)
      throw new ArgusError('NOT_FOUND', `Cannot find explain job '${id}': no such job in this project`);
    return job;
  }

  /** The jobs that explain one span, newest first. */
  async forSpan(projectId: string, traceId: string, spanId: string): Promise<ExplainJob[]> {
    const rows = await this.#sql.all<JobRow>(
      `SELECT ${COLUMNS} FROM explain_jobs WHERE project_id = $1 AND trace_id = $2 AND span_id = $3
       ORDER BY created_at DESC LIMIT ${MAX_SPAN_JOBS}`,
      [projectId, traceId, spanId],
    );
    return rows.map(toJob);
  }

  async progress(id: string, done: number): Promise<void> {
    await this.#sql.run(
      "UPDATE explain_jobs SET done = $2, status = 'running', updated_at = $3 WHERE id = $1 AND status IN ('queued', 'running')",
      [id, done, new Date().toISOString()],
    );
  }

  /** Ends a job (unless it already ended: a cancelled job stays cancelled). */
  async finish(
    id: string,
    outcome: {
      status: Exclude<ExplainJobStatus, 'queued' | 'running'>;
      result?: unknown;
      error?: string;
      done: number;
    },
  ): Promise<void> {
    await this.#sql.run(
      `UPDATE explain_jobs SET status = $2, result = $3, error = $4, done = $5, updated_at = $6
       WHERE id = $1 AND status IN ('queued', 'running')`,
      [
        id,
        outcome.status,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.error ?? null,
        outcome.done,
        new Date().toISOString(),
      ],
    );
  }

  /** Marks jobs left running by a stopped server as failed. */
  async failInterrupted(): Promise<number> {
    const { changes } = await this.#sql.run(
      `UPDATE explain_jobs SET status = 'failed', error = 'interrupted: the server stopped while the job ran', updated_at = $1
       WHERE status IN ('queued', 'running')`,
      [new Date().toISOString()],
    );
    return changes;
  }
}
