/**
 * Datasets and their versioned items in the metadata store (migration 5). Every change of items
 * is one new dataset version: changed items get a new row from that instant and their previous
 * row is closed, so any earlier version stays readable (`?version=`). An upsert of 10,000 items
 * is one transaction of multi-row statements (a few hundred ms on SQLite). Items identical to
 * their current row are left alone, and a call that changes nothing makes no version.
 */
import { randomUUID } from 'node:crypto';
import type { Dataset, DatasetCreate, DatasetItem, ItemsWriteResult, ItemWrite } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import type { SqlClient, SqlValue } from '../store/metadata/sql-client.ts';
import { notFound } from './not-found.ts';

/** A page of items. */
export interface ItemsPage {
  data: DatasetItem[];
  /** The version read. */
  version: string;
  nextCursor?: string;
}

interface DatasetRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  metadata: string;
  version_at: string;
  created_at: string;
  updated_at: string;
  item_count: number | string | null;
}

interface ItemRow {
  item_id: string;
  valid_from: string;
  input: string;
  expected_output: string | null;
  metadata: string;
  source_trace_id: string | null;
  source_span_id: string | null;
}

/** Rows per multi-row statement (9 values each: well under both engines' parameter limits). */
const CHUNK = 500;
const ITEM_COLUMNS = 'item_id, valid_from, input, expected_output, metadata, source_trace_id, source_span_id';

function toDataset(row: DatasetRow): Dataset {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    description: row.description,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    itemCount: Number(row.item_count ?? 0),
    versionAt: row.version_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toItem(datasetId: string, row: ItemRow): DatasetItem {
  return {
    id: row.item_id,
    datasetId,
    input: JSON.parse(row.input),
    ...(row.expected_output === null ? {} : { expectedOutput: JSON.parse(row.expected_output) }),
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    ...(row.source_trace_id ? { sourceTraceId: row.source_trace_id } : {}),
    ...(row.source_span_id ? { sourceSpanId: row.source_span_id } : {}),
    validFrom: row.valid_from,
  };
}

const placeholders = (count: number, from: number) =>
  Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

/** The next version of a dataset: now, or 1 ms after its last version when that is not earlier. */
function nextVersion(last: string): string {
  const now = Date.now();
  const lastMs = Date.parse(last);
  return new Date(Math.max(now, lastMs + 1)).toISOString();
}

/** Datasets of every project. */
export class DatasetRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async #select(where: string, params: SqlValue[]): Promise<Dataset[]> {
    const rows = await this.#sql.all<DatasetRow>(
      `SELECT d.id, d.project_id, d.name, d.description, d.metadata, d.version_at, d.created_at, d.updated_at,
         (SELECT COUNT(*) FROM dataset_items i WHERE i.dataset_id = d.id AND i.valid_to IS NULL) AS item_count
       FROM datasets d WHERE ${where} ORDER BY d.name`,
      params,
    );
    return rows.map(toDataset);
  }

  list(projectId: string): Promise<Dataset[]> {
    return this.#select('d.project_id = $1', [projectId]);
  }

  async get(projectId: string, id: string): Promise<Dataset | undefined> {
    return (await this.#select('d.project_id = $1 AND d.id = $2', [projectId, id]))[0];
  }

  async create(projectId: string, input: DatasetCreate): Promise<Dataset> {
    const taken = await this.#sql.all('SELECT id FROM datasets WHERE project_id = $1 AND name = $2', [
      projectId,
      input.name,
    ]);
    if (taken.length > 0)
      throw new ArgusError(
        'CONFLICT',
        `Cannot create dataset '${input.name}': this project has a dataset of that name`,
      );
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.#sql.run(
      `INSERT INTO datasets (id, project_id, name, description, metadata, version_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $6)`,
      [id, projectId, input.name, input.description ?? '', JSON.stringify(input.metadata ?? {}), now],
    );
    return (await this.get(projectId, id))!;
  }

  /** Deletes a dataset with every version of its items. */
  async delete(projectId: string, id: string): Promise<boolean> {
    return this.#sql.transaction(async (tx) => {
      const found = await tx.all('SELECT id FROM datasets WHERE project_id = $1 AND id = $2', [
        projectId,
        id,
      ]);
      if (found.length === 0) return false;
      await tx.run('DELETE FROM dataset_items WHERE dataset_id = $1', [id]);
      await tx.run('DELETE FROM datasets WHERE id = $1', [id]);
      return true;
    });
  }

  async #lockVersion(tx: SqlClient, projectId: string, datasetId: string): Promise<string> {
    // FOR UPDATE serialises concurrent writers of one dataset on PostgreSQL (SQLite's
    // BEGIN IMMEDIATE already does), so versions stay strictly increasing.
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await tx.all<{ version_at: string }>(
      `SELECT version_at FROM datasets WHERE project_id = $1 AND id = $2${lock}`,
      [projectId, datasetId],
    );
    if (!rows[0]) throw notFound('dataset', datasetId);
    return rows[0].version_at;
  }

  async #closeItems(
    tx: SqlClient,
    datasetId: string,
    ids: readonly string[],
    version: string,
  ): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      await tx.run(
        `UPDATE dataset_items SET valid_to = $1 WHERE dataset_id = $2 AND valid_to IS NULL AND item_id IN (${placeholders(chunk.length, 3)})`,
        [version, datasetId, ...chunk],
      );
    }
  }

  async #finishVersion(tx: SqlClient, datasetId: string, version: string): Promise<void> {
    await tx.run('UPDATE datasets SET version_at = $1, updated_at = $2 WHERE id = $3', [
      version,
      new Date().toISOString(),
      datasetId,
    ]);
  }

  /**
   * Creates or replaces items by id, as one new version.
   * @throws ArgusError NOT_FOUND when the dataset is not in the project.
   */
  async upsertItems(
    projectId: string,
    datasetId: string,
    items: readonly ItemWrite[],
  ): Promise<ItemsWriteResult> {
    // The last of several items with one id wins, as if they were written in order.
    const byId = new Map<string, SqlValue[]>();
    for (const item of items) {
      const id = item.id ?? randomUUID();
      byId.set(id, [
        id,
        JSON.stringify(item.input ?? null),
        item.expectedOutput === undefined ? null : JSON.stringify(item.expectedOutput),
        JSON.stringify(item.metadata ?? {}),
        item.sourceTraceId ?? null,
        item.sourceSpanId ?? null,
      ]);
    }
    return this.#sql.transaction(async (tx) => {
      const last = await this.#lockVersion(tx, projectId, datasetId);
      const ids = [...byId.keys()];
      const current = new Map<string, string>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const rows = await tx.all<ItemRow>(
          `SELECT ${ITEM_COLUMNS} FROM dataset_items WHERE dataset_id = $1 AND valid_to IS NULL AND item_id IN (${placeholders(chunk.length, 2)})`,
          [datasetId, ...chunk],
        );
        for (const r of rows)
          current.set(
            r.item_id,
            JSON.stringify([r.input, r.expected_output, r.metadata, r.source_trace_id, r.source_span_id]),
          );
      }
      const changed: SqlValue[][] = [];
      const replaced: string[] = [];
      let unchanged = 0;
      for (const [id, values] of byId) {
        const before = current.get(id);
        if (before === JSON.stringify(values.slice(1))) unchanged++;
        else {
          if (before !== undefined) replaced.push(id);
          changed.push(values);
        }
      }
      if (changed.length === 0) return { created: 0, updated: 0, unchanged, version: last };
      const version = nextVersion(last);
      await this.#closeItems(tx, datasetId, replaced, version);
      for (let i = 0; i < changed.length; i += CHUNK) {
        const chunk = changed.slice(i, i + CHUNK);
        const values = chunk.map((_, r) => `($1, $2, ${placeholders(6, 3 + r * 6)})`);
        await tx.run(
          `INSERT INTO dataset_items (dataset_id, valid_from, item_id, input, expected_output, metadata, source_trace_id, source_span_id)
           VALUES ${values.join(', ')}`,
          [datasetId, version, ...chunk.flat()],
        );
      }
      await this.#finishVersion(tx, datasetId, version);
      return { created: changed.length - replaced.length, updated: replaced.length, unchanged, version };
    });
  }

  /** Removes items (closes their rows) as one new version; returns how many there were. */
  async deleteItems(
    projectId: string,
    datasetId: string,
    ids: readonly string[],
  ): Promise<{ deleted: number; version: string }> {
    return this.#sql.transaction(async (tx) => {
      const last = await this.#lockVersion(tx, projectId, datasetId);
      const version = nextVersion(last);
      let deleted = 0;
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const { changes } = await tx.run(
          `UPDATE dataset_items SET valid_to = $1 WHERE dataset_id = $2 AND valid_to IS NULL AND item_id IN (${placeholders(chunk.length, 3)})`,
          [version, datasetId, ...chunk],
        );
        deleted += changes;
      }
      if (deleted === 0) return { deleted, version: last };
      await this.#finishVersion(tx, datasetId, version);
      return { deleted, version };
    });
  }

  /**
   * A page of items ordered by id, as of `version` (default the current one).
   * @throws ArgusError NOT_FOUND when the dataset is not in the project.
   */
  async listItems(
    projectId: string,
    datasetId: string,
    options: {
      version?: string | undefined;
      after?: string | undefined;
      limit: number;
      q?: string | undefined;
    },
  ): Promise<ItemsPage> {
    const dataset = await this.get(projectId, datasetId);
    if (!dataset) throw notFound('dataset', datasetId);
    const version = options.version ?? dataset.versionAt;
    const params: SqlValue[] = [datasetId, version, options.after ?? '', options.limit + 1];
    let search = '';
    if (options.q) {
      // A case-insensitive substring of the id, the input or the expected output (their JSON text).
      params.push(`%${options.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      search = ` AND (LOWER(item_id) LIKE $5 ESCAPE '\\' OR LOWER(input) LIKE $5 ESCAPE '\\'
        OR LOWER(COALESCE(expected_output, '')) LIKE $5 ESCAPE '\\')`;
    }
    const rows = await this.#sql.all<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM dataset_items
       WHERE dataset_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2) AND item_id > $3${search}
       ORDER BY item_id LIMIT $4`,
      params,
    );
    const page = rows.slice(0, options.limit).map((row) => toItem(datasetId, row));
    const more = rows.length > options.limit;
    return { data: page, version, ...(more ? { nextCursor: page.at(-1)!.id } : {}) };
  }

  /**
   * The versions of a dataset, newest first (at most `limit`): each change's time, with how many
   * items it added or changed and how many it removed.
   * @throws ArgusError NOT_FOUND when the dataset is not in the project.
   */
  async listVersions(
    projectId: string,
    datasetId: string,
    limit: number,
  ): Promise<{ version: string; written: number; removed: number }[]> {
    if (!(await this.get(projectId, datasetId))) throw notFound('dataset', datasetId);
    const rows = await this.#sql.all<{ version: string; written: number | string; removed: number | string }>(
      `SELECT version, SUM(written) AS written, SUM(removed) AS removed FROM (
         SELECT valid_from AS version, 1 AS written, 0 AS removed FROM dataset_items WHERE dataset_id = $1
         UNION ALL
         SELECT valid_to AS version, 0 AS written, 1 AS removed FROM dataset_items WHERE dataset_id = $1 AND valid_to IS NOT NULL
       ) changes GROUP BY version ORDER BY version DESC LIMIT $2`,
      [datasetId, limit],
    );
    // A replaced item closes its old row and opens a new one at the same instant: count it once.
    return rows.map((r) => {
      const written = Number(r.written);
      const removed = Number(r.removed);
      const replaced = Math.min(written, removed);
      return { version: r.version, written, removed: removed - replaced };
    });
  }

  /** Every item of a dataset as of a version (experiments read their pinned version whole). */
  async readItems(projectId: string, datasetId: string, version: string): Promise<DatasetItem[]> {
    const all: DatasetItem[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.listItems(projectId, datasetId, { version, after, limit: 5000 });
      all.push(...page.data);
      if (!page.nextCursor) return all;
      after = page.nextCursor;
    }
  }
}
