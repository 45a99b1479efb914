/**
 * Gateway shadows in the metadata store (migration 12): each one's configuration and the dataset
 * and two experiments (primary, candidate) its pairs are recorded in.
 */
import type { GatewayShadow } from '@argus/shared';
import type { SqlClient } from '../store/metadata/sql-client.ts';

interface Row {
  name: string;
  config: string;
  dataset_id: string;
  primary_experiment_id: string;
  candidate_experiment_id: string;
  created_at: string;
  updated_at: string;
}

/** What is kept as JSON: the shadow less its name, links and times. */
type ShadowConfig = Omit<
  GatewayShadow,
  'name' | 'datasetId' | 'primaryExperimentId' | 'candidateExperimentId' | 'createdAt' | 'updatedAt'
>;

const COLUMNS =
  'name, config, dataset_id, primary_experiment_id, candidate_experiment_id, created_at, updated_at';

function fromRow(r: Row): GatewayShadow {
  return {
    name: r.name,
    ...(JSON.parse(r.config) as ShadowConfig),
    datasetId: r.dataset_id,
    primaryExperimentId: r.primary_experiment_id,
    candidateExperimentId: r.candidate_experiment_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The gateway_shadows table. */
export class ShadowRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** A project's shadows by name. */
  async list(projectId: string): Promise<GatewayShadow[]> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM gateway_shadows WHERE project_id = $1 ORDER BY name`,
      [projectId],
    );
    return rows.map(fromRow);
  }

  async get(projectId: string, name: string): Promise<GatewayShadow | undefined> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM gateway_shadows WHERE project_id = $1 AND name = $2`,
      [projectId, name],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** Creates or replaces a shadow. */
  async put(projectId: string, shadow: GatewayShadow): Promise<void> {
    const { name, datasetId, primaryExperimentId, candidateExperimentId, createdAt, updatedAt, ...config } =
      shadow;
    await this.#sql.run(
      `INSERT INTO gateway_shadows (project_id, ${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (project_id, name) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
      [
        projectId,
        name,
        JSON.stringify(config),
        datasetId,
        primaryExperimentId,
        candidateExperimentId,
        createdAt,
        updatedAt,
      ],
    );
  }

  async delete(projectId: string, name: string): Promise<boolean> {
    const { changes } = await this.#sql.run(
      'DELETE FROM gateway_shadows WHERE project_id = $1 AND name = $2',
      [projectId, name],
    );
    return changes > 0;
  }
}
