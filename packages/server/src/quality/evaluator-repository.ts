/** Evaluators in the metadata store (table `evaluators`, migration 5); configs are validated by the API. */
import { randomUUID } from 'node:crypto';
import type { Evaluator, EvaluatorType } from '@argus/shared';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { assertNameFree } from './name-free.ts';
import { notFound } from './not-found.ts';

/** An evaluator as saved. */
export interface EvaluatorInput {
  name: string;
  type: EvaluatorType;
  config: Record<string, unknown>;
}

interface Row {
  id: string;
  project_id: string;
  name: string;
  type: string;
  config: string;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, project_id, name, type, config, created_at, updated_at';

const toEvaluator = (row: Row): Evaluator => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  type: row.type as EvaluatorType,
  config: JSON.parse(row.config) as Record<string, unknown>,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Evaluators of every project. */
export class EvaluatorRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async list(projectId: string): Promise<Evaluator[]> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM evaluators WHERE project_id = $1 ORDER BY name`,
      [projectId],
    );
    return rows.map(toEvaluator);
  }

  async get(projectId: string, id: string): Promise<Evaluator | undefined> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM evaluators WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ? toEvaluator(rows[0]) : undefined;
  }

  /**
   * Evaluators by id, in the order asked.
   * @throws ArgusError NOT_FOUND naming the first id that is not in the project.
   */
  async getMany(projectId: string, ids: readonly string[]): Promise<Evaluator[]> {
    const found: Evaluator[] = [];
    for (const id of ids) {
      const evaluator = await this.get(projectId, id);
      if (!evaluator) throw notFound('evaluator', id);
      found.push(evaluator);
    }
    return found;
  }

  async create(projectId: string, input: EvaluatorInput): Promise<Evaluator> {
    await assertNameFree(this.#sql, { what: 'evaluator', projectId, name: input.name });
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.#sql.run(`INSERT INTO evaluators (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $6)`, [
      id,
      projectId,
      input.name,
      input.type,
      JSON.stringify(input.config),
      now,
    ]);
    return (await this.get(projectId, id))!;
  }

  async update(projectId: string, id: string, input: EvaluatorInput): Promise<Evaluator | undefined> {
    await assertNameFree(this.#sql, { what: 'evaluator', projectId, name: input.name, exceptId: id });
    const { changes } = await this.#sql.run(
      'UPDATE evaluators SET name = $3, type = $4, config = $5, updated_at = $6 WHERE project_id = $1 AND id = $2',
      [projectId, id, input.name, input.type, JSON.stringify(input.config), new Date().toISOString()],
    );
    return changes > 0 ? this.get(projectId, id) : undefined;
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    const { changes } = await this.#sql.run('DELETE FROM evaluators WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
    ]);
    return changes > 0;
  }
}
