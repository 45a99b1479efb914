/** Score configs in the metadata store (table `score_configs`, migration 8). */
import { randomUUID } from 'node:crypto';
import type { ScoreCategory, ScoreConfig, ScoreDataType } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import { assertNameFree } from '../quality/name-free.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';

/** A config as created (validated by {@link checkConfigShape}). */
export interface ScoreConfigInput {
  name: string;
  dataType: ScoreDataType;
  min?: number;
  max?: number;
  categories?: ScoreCategory[];
  description?: string;
}

interface Row {
  id: string;
  project_id: string;
  name: string;
  data_type: string;
  min_value: number | null;
  max_value: number | null;
  categories: string | null;
  description: string;
  archived: number;
  created_at: string;
  updated_at: string;
}

const COLUMNS =
  'id, project_id, name, data_type, min_value, max_value, categories, description, archived, created_at, updated_at';

/** Boolean configs are the categories false = 0, true = 1. */
export const BOOLEAN_CATEGORIES: readonly ScoreCategory[] = [
  { label: 'false', value: 0 },
  { label: 'true', value: 1 },
];

const toConfig = (row: Row): ScoreConfig => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  dataType: row.data_type as ScoreDataType,
  ...(row.min_value === null ? {} : { min: Number(row.min_value) }),
  ...(row.max_value === null ? {} : { max: Number(row.max_value) }),
  ...(row.categories === null ? {} : { categories: JSON.parse(row.categories) as ScoreCategory[] }),
  description: row.description,
  isArchived: Number(row.archived) === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const invalid = (field: string, why: string) =>
  new ArgusError('INVALID_PARAMETER', `Invalid score config field '${field}': ${why}`);

/**
 * Checks what zod cannot: bounds only for numeric configs and in order, categories required for
 * categorical ones with distinct labels and values; boolean configs get their two categories.
 * @throws ArgusError INVALID_PARAMETER naming the field.
 */
export function checkConfigShape(input: ScoreConfigInput): ScoreConfigInput {
  const { dataType, min, max, categories } = input;
  if (dataType !== 'numeric' && (min !== undefined || max !== undefined))
    throw invalid(
      min !== undefined ? 'min' : 'max',
      `only numeric configs have bounds, this one is ${dataType}`,
    );
  if (min !== undefined && max !== undefined && min > max) throw invalid('min', `${min} is above max ${max}`);
  if (dataType === 'categorical') {
    if (!categories) throw invalid('categories', 'a categorical config needs at least one category');
    const labels = new Set(categories.map((c) => c.label));
    const values = new Set(categories.map((c) => c.value));
    if (labels.size < categories.length) throw invalid('categories', 'labels must be distinct');
    if (values.size < categories.length) throw invalid('categories', 'values must be distinct');
    return input;
  }
  if (categories)
    throw invalid('categories', `only categorical configs have categories, this one is ${dataType}`);
  return dataType === 'boolean' ? { ...input, categories: [...BOOLEAN_CATEGORIES] } : input;
}

/** Score configs of every project. */
export class ScoreConfigRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async list(projectId: string, options: { includeArchived?: boolean } = {}): Promise<ScoreConfig[]> {
    const archived = options.includeArchived ? '' : ' AND archived = 0';
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM score_configs WHERE project_id = $1${archived} ORDER BY name`,
      [projectId],
    );
    return rows.map(toConfig);
  }

  async get(projectId: string, id: string): Promise<ScoreConfig | undefined> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM score_configs WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ? toConfig(rows[0]) : undefined;
  }

  /** The config of a score name (archived ones included: the caller decides). */
  async findByName(projectId: string, name: string): Promise<ScoreConfig | undefined> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM score_configs WHERE project_id = $1 AND name = $2`,
      [projectId, name],
    );
    return rows[0] ? toConfig(rows[0]) : undefined;
  }

  async create(projectId: string, raw: ScoreConfigInput): Promise<ScoreConfig> {
    const input = checkConfigShape(raw);
    await assertNameFree(this.#sql, { what: 'score config', projectId, name: input.name });
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.#sql.run(
      `INSERT INTO score_configs (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9)`,
      [
        id,
        projectId,
        input.name,
        input.dataType,
        input.min ?? null,
        input.max ?? null,
        input.categories ? JSON.stringify(input.categories) : null,
        input.description ?? '',
        now,
      ],
    );
    return (await this.get(projectId, id))!;
  }

  /** Renames, describes, archives or restores a config. */
  async update(
    projectId: string,
    id: string,
    patch: { name?: string; description?: string; isArchived?: boolean },
  ): Promise<ScoreConfig | undefined> {
    const current = await this.get(projectId, id);
    if (!current) return undefined;
    const name = patch.name ?? current.name;
    if (name !== current.name)
      await assertNameFree(this.#sql, { what: 'score config', projectId, name, exceptId: id });
    await this.#sql.run(
      'UPDATE score_configs SET name = $3, description = $4, archived = $5, updated_at = $6 WHERE project_id = $1 AND id = $2',
      [
        projectId,
        id,
        name,
        patch.description ?? current.description,
        (patch.isArchived ?? current.isArchived) ? 1 : 0,
        new Date().toISOString(),
      ],
    );
    return this.get(projectId, id);
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    const { changes } = await this.#sql.run('DELETE FROM score_configs WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
    ]);
    return changes > 0;
  }
}
