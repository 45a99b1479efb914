/**
 * Concepts in the metadata store (migration 11): what the API shows (summary JSON) and the
 * learned direction (model JSON: weights and bias), one name per project.
 */
import { randomUUID } from 'node:crypto';
import type { Concept } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import type { SqlClient } from '../../store/metadata/sql-client.ts';
import type { ConceptModel } from './concepts.ts';

interface ConceptRow {
  id: string;
  name: string;
  field: string;
  summary: string;
  model: string;
  created_at: string;
}

/** A concept with its learned direction. */
export type StoredConcept = Concept & { model: ConceptModel };

function toConcept(row: ConceptRow): StoredConcept {
  return {
    id: row.id,
    name: row.name,
    field: row.field as Concept['field'],
    record: false,
    threshold: 0.5,
    ...JSON.parse(row.summary),
    model: JSON.parse(row.model),
    createdAt: row.created_at,
  };
}

const COLUMNS = 'id, name, field, summary, model, created_at';

/** Concepts of every project. */
export class ConceptRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async list(projectId: string): Promise<StoredConcept[]> {
    const rows = await this.#sql.all<ConceptRow>(
      `SELECT ${COLUMNS} FROM explain_concepts WHERE project_id = $1 ORDER BY name LIMIT 500`,
      [projectId],
    );
    return rows.map(toConcept);
  }

  /** A concept by id or name. @throws ArgusError NOT_FOUND. */
  async require(projectId: string, idOrName: string): Promise<StoredConcept> {
    const [row] = await this.#sql.all<ConceptRow>(
      `SELECT ${COLUMNS} FROM explain_concepts WHERE project_id = $1 AND (id = $2 OR name = $2)`,
      [projectId, idOrName],
    );
    if (!row)
      throw new ArgusError(
        'NOT_FOUND',
        `Cannot find concept '${idOrName.slice(0, 100)}': no such concept in this project`,
      );
    return toConcept(row);
  }

  /** Saves a new concept. @throws ArgusError CONFLICT when the name is taken. */
  async create(
    projectId: string,
    concept: Omit<Concept, 'id' | 'createdAt'>,
    model: ConceptModel,
  ): Promise<StoredConcept> {
    const [taken] = await this.#sql.all(
      'SELECT id FROM explain_concepts WHERE project_id = $1 AND name = $2',
      [projectId, concept.name],
    );
    if (taken)
      throw new ArgusError(
        'CONFLICT',
        `Cannot create concept '${concept.name}': the name is taken; delete it first`,
      );
    const { name, field, ...summary } = concept;
    const id = randomUUID();
    await this.#sql.run(
      `INSERT INTO explain_concepts (id, project_id, name, field, summary, model, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, projectId, name, field, JSON.stringify(summary), JSON.stringify(model), new Date().toISOString()],
    );
    return this.require(projectId, id);
  }

  /** Every project's concepts that record metric points. */
  async recorded(): Promise<{ projectId: string; concept: StoredConcept }[]> {
    const rows = await this.#sql.all<ConceptRow & { project_id: string }>(
      `SELECT project_id, ${COLUMNS} FROM explain_concepts ORDER BY project_id, name LIMIT 5000`,
    );
    return rows
      .map((row) => ({ projectId: row.project_id, concept: toConcept(row) }))
      .filter((c) => c.concept.record);
  }

  async delete(projectId: string, idOrName: string): Promise<void> {
    const concept = await this.require(projectId, idOrName);
    await this.#sql.run('DELETE FROM explain_concepts WHERE project_id = $1 AND id = $2', [
      projectId,
      concept.id,
    ]);
  }
}
