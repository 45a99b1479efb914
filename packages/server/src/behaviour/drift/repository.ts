/**
 * Drift monitors and their results in the metadata store (migration 9): one row per monitor,
 * one row per run (its per-feature verdicts as JSON, without projections or examples).
 */
import { randomUUID } from 'node:crypto';
import type { DriftMonitor, DriftMonitorResult } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import type { SqlClient } from '../../store/metadata/sql-client.ts';
import type { MonitorCreateBody, MonitorPatchBody } from './schemas.ts';

/** Results kept per monitor (older ones are dropped as new ones arrive). */
export const MAX_RESULTS_PER_MONITOR = 5_000;

interface MonitorRow {
  id: string;
  project_id: string;
  name: string;
  filter: string;
  features: string;
  reference: string;
  window_length: string;
  schedule: string;
  enabled: number | boolean;
  embedding_connection_id: string | null;
  sample_size: number;
  created_at: string;
  updated_at: string;
  last_run_at: string | null;
  last_error: string | null;
  last_drifted: number | boolean | null;
}

/** A monitor with its project, as the scheduler reads it. */
export type StoredMonitor = DriftMonitor & { projectId: string };

function toMonitor(row: MonitorRow): StoredMonitor {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    filter: JSON.parse(row.filter),
    features: JSON.parse(row.features),
    reference: JSON.parse(row.reference),
    window: row.window_length,
    schedule: row.schedule,
    enabled: Boolean(Number(row.enabled)),
    ...(row.embedding_connection_id ? { embeddingConnectionId: row.embedding_connection_id } : {}),
    sampleSize: Number(row.sample_size),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.last_run_at ? { lastRunAt: row.last_run_at } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    ...(row.last_drifted === null ? {} : { lastDrifted: Boolean(Number(row.last_drifted)) }),
  };
}

const COLUMNS =
  'id, project_id, name, filter, features, reference, window_length, schedule, enabled, embedding_connection_id, sample_size, created_at, updated_at, last_run_at, last_error, last_drifted';

/** Drift monitors of every project. */
export class DriftRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** The SQL client (the scheduler's lease shares it). */
  get sql(): SqlClient {
    return this.#sql;
  }

  async list(projectId?: string): Promise<StoredMonitor[]> {
    const rows = projectId
      ? await this.#sql.all<MonitorRow>(
          `SELECT ${COLUMNS} FROM drift_monitors WHERE project_id = $1 ORDER BY name`,
          [projectId],
        )
      : await this.#sql.all<MonitorRow>(`SELECT ${COLUMNS} FROM drift_monitors ORDER BY project_id, name`);
    return rows.map(toMonitor);
  }

  async get(projectId: string, id: string): Promise<StoredMonitor | undefined> {
    const rows = await this.#sql.all<MonitorRow>(
      `SELECT ${COLUMNS} FROM drift_monitors WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ? toMonitor(rows[0]) : undefined;
  }

  /** @throws ArgusError CONFLICT when the project has a monitor of that name. */
  async create(projectId: string, body: MonitorCreateBody & { features: string[] }): Promise<StoredMonitor> {
    await this.#checkName(projectId, body.name);
    const id = `dm_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const now = new Date().toISOString();
    await this.#sql.run(
      `INSERT INTO drift_monitors (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, NULL, NULL)`,
      [
        id,
        projectId,
        body.name,
        JSON.stringify(body.filter),
        JSON.stringify(body.features),
        JSON.stringify(body.reference),
        body.window,
        body.schedule,
        body.enabled ? 1 : 0,
        body.embeddingConnectionId ?? null,
        body.sampleSize,
        now,
        now,
      ],
    );
    return (await this.get(projectId, id))!;
  }

  /** @throws ArgusError NOT_FOUND, CONFLICT for a taken name. */
  async update(projectId: string, id: string, patch: MonitorPatchBody): Promise<StoredMonitor> {
    const monitor = await this.get(projectId, id);
    if (!monitor) throw notFound(id);
    if (patch.name !== undefined && patch.name !== monitor.name) await this.#checkName(projectId, patch.name);
    const next = { ...monitor, ...patch };
    const connection =
      patch.embeddingConnectionId === undefined
        ? (monitor.embeddingConnectionId ?? null)
        : patch.embeddingConnectionId;
    await this.#sql.run(
      `UPDATE drift_monitors SET name = $3, filter = $4, features = $5, reference = $6, window_length = $7, schedule = $8,
         enabled = $9, embedding_connection_id = $10, sample_size = $11, updated_at = $12 WHERE project_id = $1 AND id = $2`,
      [
        projectId,
        id,
        next.name,
        JSON.stringify(next.filter),
        JSON.stringify(next.features),
        JSON.stringify(next.reference),
        next.window,
        next.schedule,
        next.enabled ? 1 : 0,
        connection,
        next.sampleSize,
        new Date().toISOString(),
      ],
    );
    return (await this.get(projectId, id))!;
  }

  /** @throws ArgusError NOT_FOUND. */
  async delete(projectId: string, id: string): Promise<void> {
    const result = await this.#sql.run('DELETE FROM drift_monitors WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
    ]);
    if (result.changes === 0) throw notFound(id);
  }

  /** Records a run: its result row and the monitor's last state. */
  async recordRun(
    monitor: StoredMonitor,
    result: DriftMonitorResult | { error: string; time: string },
  ): Promise<void> {
    await this.#sql.transaction(async (tx) => {
      if ('error' in result) {
        await tx.run('UPDATE drift_monitors SET last_run_at = $2, last_error = $3 WHERE id = $1', [
          monitor.id,
          result.time,
          result.error,
        ]);
        return;
      }
      await tx.run(
        `INSERT INTO drift_results (monitor_id, project_id, time, drifted, result) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (monitor_id, time) DO UPDATE SET drifted = excluded.drifted, result = excluded.result`,
        [monitor.id, monitor.projectId, result.time, result.drifted ? 1 : 0, JSON.stringify(result)],
      );
      await tx.run(
        'UPDATE drift_monitors SET last_run_at = $2, last_error = NULL, last_drifted = $3 WHERE id = $1',
        [monitor.id, result.time, result.drifted ? 1 : 0],
      );
      await tx.run(
        `DELETE FROM drift_results WHERE monitor_id = $1 AND time < (SELECT MIN(time) FROM
           (SELECT time FROM drift_results WHERE monitor_id = $1 ORDER BY time DESC LIMIT ${MAX_RESULTS_PER_MONITOR}) AS kept)`,
        [monitor.id],
      );
    });
  }

  /** Results of a monitor in [fromIso, toIso], oldest first. */
  async results(
    monitorId: string,
    range: { fromIso: string; toIso: string; limit: number },
  ): Promise<DriftMonitorResult[]> {
    const rows = await this.#sql.all<{ result: string }>(
      `SELECT result FROM (SELECT time, result FROM drift_results WHERE monitor_id = $1 AND time >= $2 AND time <= $3
         ORDER BY time DESC LIMIT $4) AS latest ORDER BY time`,
      [monitorId, range.fromIso, range.toIso, range.limit],
    );
    return rows.map((r) => JSON.parse(r.result));
  }

  /** The newest result of each monitor of a project (for /metrics and alert sources). */
  async latest(projectId?: string): Promise<{ monitor: StoredMonitor; result: DriftMonitorResult }[]> {
    const monitors = await this.list(projectId);
    const out: { monitor: StoredMonitor; result: DriftMonitorResult }[] = [];
    for (const monitor of monitors) {
      const rows = await this.#sql.all<{ result: string }>(
        'SELECT result FROM drift_results WHERE monitor_id = $1 ORDER BY time DESC LIMIT 1',
        [monitor.id],
      );
      if (rows[0]) out.push({ monitor, result: JSON.parse(rows[0].result) });
    }
    return out;
  }

  async #checkName(projectId: string, name: string): Promise<void> {
    const taken = await this.#sql.all('SELECT id FROM drift_monitors WHERE project_id = $1 AND name = $2', [
      projectId,
      name,
    ]);
    if (taken.length > 0)
      throw new ArgusError(
        'CONFLICT',
        `Cannot create drift monitor '${name}': the project has a monitor of that name`,
      );
  }
}

function notFound(id: string): ArgusError {
  return new ArgusError('NOT_FOUND', `Cannot find drift monitor '${id}': no such monitor in this project`);
}
