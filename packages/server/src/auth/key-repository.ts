/**
 * API keys in the metadata store. The secret never reaches the database: it is stored as its
 * SHA-256 (secrets.ts) and answered once, when the key is created or rotated.
 */
import { randomBytes } from 'node:crypto';
import type { ApiKey, RateLimits } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import { camelRow } from '../store/metadata/rows.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import type { Role } from './context.ts';
import { randomToken, sha256 } from './secrets.ts';

/** Per-key request rates (per second); absent = the server defaults. */
export type KeyRateLimits = RateLimits;

/** An API key as listed (never the secret). */
export type ApiKeyRecord = ApiKey;

interface KeyRow {
  id: string;
  project_id: string;
  name: string;
  role: string;
  secret_prefix: string;
  rate_limits: string | null;
  created_at: string;
  created_by: string;
  rotated_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

const KEY_COLUMNS =
  'public_key AS id, project_id, name, role, secret_prefix, rate_limits, created_at, created_by, rotated_at, last_used_at, revoked_at';

function toKey(row: KeyRow): ApiKeyRecord {
  return {
    ...camelRow(row),
    role: row.role as Role,
    rateLimits: row.rate_limits ? (JSON.parse(row.rate_limits) as KeyRateLimits) : null,
  };
}

const now = () => new Date().toISOString();
const newSecret = () => `sk-argus-${randomToken(32)}`;
/** Visible part of a secret in listings: `sk-argus-` and 4 characters. */
const prefixOf = (secret: string) => `${secret.slice(0, 13)}…`;

/** The API keys repository. */
export class KeyRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** Creates a key; the secret is returned here and never again. */
  async create(input: {
    projectId: string;
    name: string;
    role: Role;
    createdBy: string;
    rateLimits?: KeyRateLimits;
  }): Promise<{ key: ApiKeyRecord; secret: string }> {
    const id = `pk-argus-${randomBytes(12).toString('hex')}`;
    const secret = newSecret();
    const createdAt = now();
    await this.#sql.run(
      `INSERT INTO api_keys (id, project_id, name, role, public_key, secret_hash, secret_prefix, rate_limits, created_at, created_by)
       VALUES ($1, $2, $3, $4, $1, $5, $6, $7, $8, $9)`,
      [
        id,
        input.projectId,
        input.name,
        input.role,
        sha256(secret),
        prefixOf(secret),
        input.rateLimits ? JSON.stringify(input.rateLimits) : null,
        createdAt,
        input.createdBy,
      ],
    );
    return { key: (await this.get(input.projectId, id))!, secret };
  }

  async get(projectId: string, id: string): Promise<ApiKeyRecord | undefined> {
    const rows = await this.#sql.all<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE project_id = $1 AND public_key = $2`,
      [projectId, id],
    );
    return rows[0] ? toKey(rows[0]) : undefined;
  }

  /** Keys of a project, newest first, revoked ones included (they stay for the record). */
  async list(projectId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.#sql.all<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE project_id = $1 ORDER BY created_at DESC, public_key`,
      [projectId],
    );
    return rows.map(toKey);
  }

  /** The live (not revoked) key whose secret hashes to `secretHash`. */
  async findBySecretHash(secretHash: string): Promise<ApiKeyRecord | undefined> {
    const rows = await this.#sql.all<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL`,
      [secretHash],
    );
    return rows[0] ? toKey(rows[0]) : undefined;
  }

  /** Gives a key a new secret; the old one stops working at once. */
  async rotate(projectId: string, id: string): Promise<{ key: ApiKeyRecord; secret: string }> {
    const secret = newSecret();
    const result = await this.#sql.run(
      `UPDATE api_keys SET secret_hash = $3, secret_prefix = $4, rotated_at = $5
       WHERE project_id = $1 AND public_key = $2 AND revoked_at IS NULL`,
      [projectId, id, sha256(secret), prefixOf(secret), now()],
    );
    if (result.changes === 0)
      throw new ArgusError(
        'NOT_FOUND',
        `Cannot rotate key '${id}': no live key with that id in this project`,
      );
    return { key: (await this.get(projectId, id))!, secret };
  }

  /** Revokes a key (kept, marked revoked). */
  async revoke(projectId: string, id: string): Promise<ApiKeyRecord> {
    const result = await this.#sql.run(
      'UPDATE api_keys SET revoked_at = $3 WHERE project_id = $1 AND public_key = $2 AND revoked_at IS NULL',
      [projectId, id, now()],
    );
    if (result.changes === 0)
      throw new ArgusError(
        'NOT_FOUND',
        `Cannot revoke key '${id}': no live key with that id in this project`,
      );
    return (await this.get(projectId, id))!;
  }

  /** Records that a key was used now. */
  async touch(id: string): Promise<void> {
    await this.#sql.run('UPDATE api_keys SET last_used_at = $2 WHERE public_key = $1', [id, now()]);
  }
}
