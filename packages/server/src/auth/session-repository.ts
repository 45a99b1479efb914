/**
 * Console sessions in the metadata store. The session token goes in the cookie and is stored
 * only as its SHA-256 (secrets.ts).
 */
import { camelRow } from '../store/metadata/rows.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { randomToken, sha256 } from './secrets.ts';

/** A live console session. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** The sessions repository. */
export class SessionRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** Starts a session; the returned token goes in the cookie and is stored only hashed. */
  async create(input: {
    userId: string;
    ttlMs: number;
    ip: string;
    userAgent: string;
  }): Promise<{ token: string; session: SessionRecord }> {
    const token = randomToken(32);
    const at = Date.now();
    const session: SessionRecord = {
      idHash: sha256(token),
      userId: input.userId,
      csrfToken: randomToken(24),
      createdAt: at,
      lastSeenAt: at,
      expiresAt: at + input.ttlMs,
    };
    await this.#sql.run(
      `INSERT INTO user_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        session.idHash,
        session.userId,
        session.csrfToken,
        session.createdAt,
        session.lastSeenAt,
        session.expiresAt,
        input.ip,
        input.userAgent.slice(0, 300),
      ],
    );
    return { token, session };
  }

  /** The session of a cookie token, expired or not. */
  async find(token: string): Promise<SessionRecord | undefined> {
    const rows = await this.#sql.all<{
      id_hash: string;
      user_id: string;
      csrf_token: string;
      created_at: number | string;
      last_seen_at: number | string;
      expires_at: number | string;
    }>(
      'SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at FROM user_sessions WHERE id_hash = $1',
      [sha256(token)],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      ...camelRow(r),
      createdAt: Number(r.created_at),
      lastSeenAt: Number(r.last_seen_at),
      expiresAt: Number(r.expires_at),
    };
  }

  async touch(idHash: string, at: number): Promise<void> {
    await this.#sql.run('UPDATE user_sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, at]);
  }

  async delete(idHash: string): Promise<void> {
    await this.#sql.run('DELETE FROM user_sessions WHERE id_hash = $1', [idHash]);
  }

  /** Ends every session of a user except `keepIdHash` (password change, removal). */
  async deleteOfUser(userId: string, keepIdHash = ''): Promise<number> {
    const result = await this.#sql.run('DELETE FROM user_sessions WHERE user_id = $1 AND id_hash != $2', [
      userId,
      keepIdHash,
    ]);
    return result.changes;
  }
}
