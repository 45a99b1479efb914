/** Projects in the metadata store: list, create, rename. Every row of telemetry belongs to one. */
import { ArgusError } from '../errors.ts';
import { type Project, selectProjects } from '../store/metadata/metadata-store.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';

/** The projects repository. */
export class ProjectRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async list(): Promise<Project[]> {
    return selectProjects(this.#sql);
  }

  async exists(id: string): Promise<boolean> {
    const rows = await this.#sql.all('SELECT id FROM projects WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /** @throws ArgusError CONFLICT when the id is taken. */
  async create(id: string, name: string): Promise<{ id: string; name: string; createdAt: string }> {
    const createdAt = new Date().toISOString();
    const result = await this.#sql.run(
      'INSERT INTO projects (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
      [id, name, createdAt],
    );
    if (result.changes === 0) throw new ArgusError('CONFLICT', `Cannot create project '${id}': it exists`);
    return { id, name, createdAt };
  }

  async rename(id: string, name: string): Promise<void> {
    const result = await this.#sql.run('UPDATE projects SET name = $2 WHERE id = $1', [id, name]);
    if (result.changes === 0) throw new ArgusError('NOT_FOUND', `Cannot find project '${id}'`);
  }
}
