/**
 * LLM connections in the metadata store (table `llm_connections`, migration 5). The key and the
 * header values are sealed with the instance's secret box (AES-256-GCM, auth/secret-box.ts) and
 * leave this repository only through {@link ConnectionRepository.open}, for a call.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectionCreate, LlmConnection, LlmProvider } from '@argus/shared';
import type { SecretBox } from '../auth/secret-box.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { assertNameFree } from './name-free.ts';
import type { ConnectionTarget } from './provider-wire.ts';

interface Row {
  id: string;
  project_id: string;
  name: string;
  provider: string;
  base_url: string | null;
  api_key: string;
  headers: string;
  models: string;
  embedding_model: string | null;
  api_version: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS =
  'id, project_id, name, provider, base_url, api_key, headers, models, embedding_model, api_version, created_at, updated_at';

/** The connections of every project. */
export class ConnectionRepository {
  readonly #sql: SqlClient;
  readonly #box: SecretBox;

  constructor(sql: SqlClient, box: SecretBox) {
    this.#sql = sql;
    this.#box = box;
  }

  #headers(row: Row): Record<string, string> {
    return JSON.parse(this.#box.open(row.headers)) as Record<string, string>;
  }

  #toConnection(row: Row): LlmConnection {
    return {
      id: row.id,
      projectId: row.project_id,
      name: row.name,
      provider: row.provider as LlmProvider,
      ...(row.base_url ? { baseUrl: row.base_url } : {}),
      models: JSON.parse(row.models) as string[],
      ...(row.embedding_model ? { embeddingModel: row.embedding_model } : {}),
      ...(row.api_version ? { apiVersion: row.api_version } : {}),
      headerNames: Object.keys(this.#headers(row)),
      hasApiKey: this.#box.open(row.api_key) !== '',
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async #row(projectId: string, id: string): Promise<Row | undefined> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM llm_connections WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0];
  }

  async list(projectId: string): Promise<LlmConnection[]> {
    const rows = await this.#sql.all<Row>(
      `SELECT ${COLUMNS} FROM llm_connections WHERE project_id = $1 ORDER BY name`,
      [projectId],
    );
    return rows.map((row) => this.#toConnection(row));
  }

  async get(projectId: string, id: string): Promise<LlmConnection | undefined> {
    const row = await this.#row(projectId, id);
    return row ? this.#toConnection(row) : undefined;
  }

  /** The connection with its secrets, for a call; undefined when there is none. */
  async open(projectId: string, id: string): Promise<(ConnectionTarget & { models: string[] }) | undefined> {
    const row = await this.#row(projectId, id);
    if (!row) return undefined;
    return {
      provider: row.provider as LlmProvider,
      baseUrl: row.base_url ?? undefined,
      apiKey: this.#box.open(row.api_key),
      headers: this.#headers(row),
      apiVersion: row.api_version ?? undefined,
      embeddingModel: row.embedding_model ?? undefined,
      models: JSON.parse(row.models) as string[],
    };
  }

  async create(projectId: string, input: ConnectionCreate): Promise<LlmConnection> {
    await assertNameFree(this.#sql, { what: 'connection', projectId, name: input.name });
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.#sql.run(
      `INSERT INTO llm_connections (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
      [
        id,
        projectId,
        input.name,
        input.provider,
        input.baseUrl ?? null,
        this.#box.seal(input.apiKey ?? ''),
        this.#box.seal(JSON.stringify(input.headers ?? {})),
        JSON.stringify(input.models ?? []),
        input.embeddingModel ?? null,
        input.apiVersion ?? null,
        now,
      ],
    );
    return (await this.get(projectId, id))!;
  }

  /** Applies a partial change; an absent `apiKey`/`headers` keeps the stored secret. */
  async update(
    projectId: string,
    id: string,
    patch: Partial<ConnectionCreate>,
  ): Promise<LlmConnection | undefined> {
    const current = await this.open(projectId, id);
    const row = await this.#row(projectId, id);
    if (!current || !row) return undefined;
    if (patch.name !== undefined)
      await assertNameFree(this.#sql, { what: 'connection', projectId, name: patch.name, exceptId: id });
    const has = (key: keyof ConnectionCreate) => Object.hasOwn(patch, key);
    await this.#sql.run(
      `UPDATE llm_connections SET name = $3, provider = $4, base_url = $5, api_key = $6, headers = $7, models = $8,
         embedding_model = $9, api_version = $10, updated_at = $11 WHERE project_id = $1 AND id = $2`,
      [
        projectId,
        id,
        patch.name ?? row.name,
        patch.provider ?? row.provider,
        has('baseUrl') ? (patch.baseUrl ?? null) : row.base_url,
        patch.apiKey !== undefined ? this.#box.seal(patch.apiKey) : row.api_key,
        patch.headers !== undefined ? this.#box.seal(JSON.stringify(patch.headers)) : row.headers,
        patch.models !== undefined ? JSON.stringify(patch.models) : row.models,
        has('embeddingModel') ? (patch.embeddingModel ?? null) : row.embedding_model,
        has('apiVersion') ? (patch.apiVersion ?? null) : row.api_version,
        new Date().toISOString(),
      ],
    );
    return this.get(projectId, id);
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    const { changes } = await this.#sql.run('DELETE FROM llm_connections WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
    ]);
    return changes > 0;
  }
}

/** Whether a connection serves a model: its `models` name it exactly or by glob (`*`, `?`); none listed = any. */
export function servesModel(models: readonly string[], model: string): boolean {
  if (models.length === 0) return true;
  return models.some((pattern) => {
    if (!/[*?]/.test(pattern)) return pattern === model;
    const re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    return re.test(model);
  });
}
