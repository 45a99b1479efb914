/**
 * A project's output-health switch, in the metadata `settings` table (key `output_health`).
 * On unless a project turned it off.
 */
import type { OutputHealthSettings } from '@argus/shared';
import type { SqlClient } from '../../store/metadata/sql-client.ts';

const KEY = 'output_health';

/** Output-health settings of every project. */
export class HealthSettings {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async get(projectId: string): Promise<OutputHealthSettings> {
    const rows = await this.#sql.all<{ value: string }>(
      'SELECT value FROM settings WHERE project_id = $1 AND key = $2',
      [projectId, KEY],
    );
    const saved = rows[0] ? (JSON.parse(rows[0].value) as Partial<OutputHealthSettings>) : {};
    return { enabled: saved.enabled !== false };
  }

  async set(projectId: string, settings: OutputHealthSettings): Promise<OutputHealthSettings> {
    await this.#sql.run(
      `INSERT INTO settings (project_id, key, value, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [projectId, KEY, JSON.stringify(settings), new Date().toISOString()],
    );
    return settings;
  }

  /** Projects whose checks are on. */
  async enabledProjects(): Promise<string[]> {
    const projects = await this.#sql.all<{ id: string }>('SELECT id FROM projects ORDER BY id');
    const off = await this.#sql.all<{ project_id: string; value: string }>(
      'SELECT project_id, value FROM settings WHERE key = $1',
      [KEY],
    );
    const disabled = new Set(
      off.filter((r) => JSON.parse(r.value).enabled === false).map((r) => r.project_id),
    );
    return projects.map((p) => p.id).filter((id) => !disabled.has(id));
  }
}
