/**
 * Invitations in the metadata store. The invite token is answered once and stored only as its
 * SHA-256 (secrets.ts); the first 16 hex characters of that hash are the invitation's id.
 */
import type { SqlClient } from '../store/metadata/sql-client.ts';
import type { Role } from './context.ts';
import { insertMembership } from './membership-repository.ts';
import { randomToken, sha256 } from './secrets.ts';
import { insertUser, type UserRecord } from './user-repository.ts';

/** A pending invitation. */
export interface InviteRecord {
  /** First 16 hex characters of the token hash: the invite's id. */
  id: string;
  username: string;
  projectId: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

interface InviteRow {
  token_hash: string;
  username: string;
  project_id: string;
  role: string;
  created_by: string;
  created_at: number | string;
  expires_at: number | string;
}

const INVITE_COLUMNS = 'token_hash, username, project_id, role, created_by, created_at, expires_at';
/** The pending, unexpired invite of a token hash ($1) at a time ($2). */
const PENDING_INVITE = `SELECT ${INVITE_COLUMNS} FROM invites WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2`;

function toInvite(row: InviteRow): InviteRecord {
  return {
    id: row.token_hash.slice(0, 16),
    username: row.username,
    projectId: row.project_id,
    role: row.role as Role,
    createdBy: row.created_by,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    expiresAt: new Date(Number(row.expires_at)).toISOString(),
  };
}

/** The invitations repository. */
export class InviteRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** Creates an invitation; the token is returned here only. */
  async create(input: {
    username: string;
    projectId: string;
    role: Role;
    createdBy: string;
    ttlMs: number;
  }): Promise<{ invite: InviteRecord; token: string }> {
    const token = `inv-${randomToken(24)}`;
    const hash = sha256(token);
    const at = Date.now();
    await this.#sql.run(
      `INSERT INTO invites (token_hash, username, project_id, role, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [hash, input.username, input.projectId, input.role, input.createdBy, at, at + input.ttlMs],
    );
    return {
      token,
      invite: {
        id: hash.slice(0, 16),
        username: input.username,
        projectId: input.projectId,
        role: input.role,
        createdBy: input.createdBy,
        createdAt: new Date(at).toISOString(),
        expiresAt: new Date(at + input.ttlMs).toISOString(),
      },
    };
  }

  /** A pending, unexpired invitation by its token. */
  async find(token: string): Promise<(InviteRecord & { tokenHash: string }) | undefined> {
    const hash = sha256(token);
    const rows = await this.#sql.all<InviteRow>(PENDING_INVITE, [hash, Date.now()]);
    return rows[0] ? { ...toInvite(rows[0]), tokenHash: hash } : undefined;
  }

  /**
   * Accepts an invitation in one transaction: claims the invite (pending and unexpired), creates
   * its user and their membership. A token can succeed once, even when two accepts race.
   * @returns undefined when the token is unknown, expired or used.
   * @throws ArgusError CONFLICT when the invited username was taken meanwhile (the invite stays pending).
   */
  async accept(
    token: string,
    input: { displayName: string; passwordHash: string },
  ): Promise<{ invite: InviteRecord; user: UserRecord } | undefined> {
    const hash = sha256(token);
    return this.#sql.transaction(async (tx) => {
      const rows = await tx.all<InviteRow>(PENDING_INVITE, [hash, Date.now()]);
      if (!rows[0]) return undefined;
      const claimed = await tx.run(
        'UPDATE invites SET accepted_at = $2 WHERE token_hash = $1 AND accepted_at IS NULL',
        [hash, Date.now()],
      );
      if (claimed.changes === 0) return undefined;
      const invite = toInvite(rows[0]);
      const user = await insertUser(tx, { ...input, username: invite.username, isAdmin: false });
      await insertMembership(tx, { userId: user.id, projectId: invite.projectId, role: invite.role });
      return { invite, user };
    });
  }

  /** The pending, unexpired invitations of a project, newest first. */
  async list(projectId: string): Promise<InviteRecord[]> {
    const rows = await this.#sql.all<InviteRow>(
      `SELECT ${INVITE_COLUMNS} FROM invites WHERE project_id = $1 AND accepted_at IS NULL AND expires_at > $2
       ORDER BY created_at DESC`,
      [projectId, Date.now()],
    );
    return rows.map(toInvite);
  }

  /** @returns false when no pending invite of the project has that id. */
  async delete(projectId: string, id: string): Promise<boolean> {
    if (!/^[0-9a-f]{16}$/.test(id)) return false;
    const result = await this.#sql.run(
      'DELETE FROM invites WHERE project_id = $1 AND token_hash LIKE $2 AND accepted_at IS NULL',
      [projectId, `${id}%`],
    );
    return result.changes > 0;
  }
}
