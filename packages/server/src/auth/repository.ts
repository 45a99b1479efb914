/**
 * Projects, API keys, users, memberships, console sessions and invites in the metadata store
 * (SQLite or PostgreSQL, one SQL text for both). Secrets never reach the database: API keys,
 * session ids and invite tokens are stored as SHA-256, passwords as scrypt (secrets.ts).
 */
import { randomBytes } from 'node:crypto';
import { ArgusError } from '../errors.ts';
import { type Project, selectProjects } from '../store/metadata/metadata-store.ts';
import { camelRow } from '../store/metadata/rows.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import type { Role } from './context.ts';
import { randomToken, sha256 } from './secrets.ts';

/** Per-key request rates (per second); absent = the server defaults. */
export interface KeyRateLimits {
  ingest?: number;
  api?: number;
}

/** An API key as listed (never the secret). */
export interface ApiKeyRecord {
  /** The public key, `pk-argus-…`: the key's id in the API and the user part of Basic auth. */
  id: string;
  projectId: string;
  name: string;
  role: Role;
  /** First characters of the secret, to recognise it. */
  secretPrefix: string;
  rateLimits: KeyRateLimits | null;
  createdAt: string;
  createdBy: string;
  rotatedAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A console user (never the password hash). */
export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  createdAt: string;
}

/** A user's role on a project. */
export interface Membership {
  userId: string;
  username: string;
  displayName: string;
  projectId: string;
  role: Role;
  createdAt: string;
}

/** A live console session. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

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

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  is_admin: number | string | boolean;
  created_at: string;
}

const USER_COLUMNS = 'id, username, display_name, is_admin, created_at';

function toUser(row: UserRow): UserRecord {
  return { ...camelRow(row), isAdmin: Number(row.is_admin) === 1 || row.is_admin === true };
}

interface MembershipRow {
  user_id: string;
  username: string;
  display_name: string;
  project_id: string;
  role: string;
  created_at: string;
}

/** Memberships with their users' names; a WHERE and ORDER BY follow. */
const MEMBERSHIP_SELECT = `SELECT m.user_id, u.username, u.display_name, m.project_id, m.role, m.created_at
  FROM memberships m JOIN users u ON u.id = m.user_id`;

function toMembership(row: MembershipRow): Membership {
  return { ...camelRow(row), role: row.role as Role };
}

/** What a new user is made of. */
export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  isAdmin: boolean;
}

const now = () => new Date().toISOString();

/** Inserts a user (on the repository's client or inside a transaction). */
export async function insertUser(sql: SqlClient, input: NewUser): Promise<UserRecord> {
  const id = `usr_${randomBytes(9).toString('hex')}`;
  const at = now();
  const result = await sql.run(
    `INSERT INTO users (id, username, display_name, password_hash, is_admin, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (username) DO NOTHING`,
    [id, input.username, input.displayName, input.passwordHash, input.isAdmin ? 1 : 0, at],
  );
  if (result.changes === 0)
    throw new ArgusError('CONFLICT', `Cannot create user '${input.username}': the username is taken`);
  return {
    id,
    username: input.username,
    displayName: input.displayName,
    isAdmin: input.isAdmin,
    createdAt: at,
  };
}
/** Adds a user to a project (on the repository's client or inside a transaction). */
export async function insertMembership(
  sql: SqlClient,
  membership: { userId: string; projectId: string; role: Role },
  at = now(),
): Promise<void> {
  await sql.run('INSERT INTO memberships (user_id, project_id, role, created_at) VALUES ($1, $2, $3, $4)', [
    membership.userId,
    membership.projectId,
    membership.role,
    at,
  ]);
}

const newSecret = () => `sk-argus-${randomToken(32)}`;
/** Visible part of a secret in listings: `sk-argus-` and 4 characters. */
const prefixOf = (secret: string) => `${secret.slice(0, 13)}…`;

/** The governance repository. */
export class AuthRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  // Projects ---------------------------------------------------------------------------------

  async listProjects(): Promise<Project[]> {
    return selectProjects(this.#sql);
  }

  async projectExists(id: string): Promise<boolean> {
    const rows = await this.#sql.all('SELECT id FROM projects WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /** @throws ArgusError CONFLICT when the id is taken. */
  async createProject(id: string, name: string): Promise<{ id: string; name: string; createdAt: string }> {
    const createdAt = now();
    const result = await this.#sql.run(
      'INSERT INTO projects (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
      [id, name, createdAt],
    );
    if (result.changes === 0) throw new ArgusError('CONFLICT', `Cannot create project '${id}': it exists`);
    return { id, name, createdAt };
  }

  async renameProject(id: string, name: string): Promise<void> {
    const result = await this.#sql.run('UPDATE projects SET name = $2 WHERE id = $1', [id, name]);
    if (result.changes === 0) throw new ArgusError('NOT_FOUND', `Cannot find project '${id}'`);
  }

  // API keys ---------------------------------------------------------------------------------

  /** Creates a key; the secret is returned here and never again. */
  async createKey(input: {
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
    return { key: (await this.getKey(input.projectId, id))!, secret };
  }

  async getKey(projectId: string, id: string): Promise<ApiKeyRecord | undefined> {
    const rows = await this.#sql.all<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE project_id = $1 AND public_key = $2`,
      [projectId, id],
    );
    return rows[0] ? toKey(rows[0]) : undefined;
  }

  /** Keys of a project, newest first, revoked ones included (they stay for the record). */
  async listKeys(projectId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.#sql.all<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE project_id = $1 ORDER BY created_at DESC, public_key`,
      [projectId],
    );
    return rows.map(toKey);
  }

  /** The live (not revoked) key whose secret hashes to `secretHash`. */
  async findKeyBySecretHash(secretHash: string): Promise<ApiKeyRecord | undefined> {
    const rows = await this.#sql.all<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL`,
      [secretHash],
    );
    return rows[0] ? toKey(rows[0]) : undefined;
  }

  /** Gives a key a new secret; the old one stops working at once. */
  async rotateKey(projectId: string, id: string): Promise<{ key: ApiKeyRecord; secret: string }> {
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
    return { key: (await this.getKey(projectId, id))!, secret };
  }

  /** Revokes a key (kept, marked revoked). */
  async revokeKey(projectId: string, id: string): Promise<ApiKeyRecord> {
    const result = await this.#sql.run(
      'UPDATE api_keys SET revoked_at = $3 WHERE project_id = $1 AND public_key = $2 AND revoked_at IS NULL',
      [projectId, id, now()],
    );
    if (result.changes === 0)
      throw new ArgusError(
        'NOT_FOUND',
        `Cannot revoke key '${id}': no live key with that id in this project`,
      );
    return (await this.getKey(projectId, id))!;
  }

  async touchKey(id: string): Promise<void> {
    await this.#sql.run('UPDATE api_keys SET last_used_at = $2 WHERE public_key = $1', [id, now()]);
  }

  async countLiveKeys(): Promise<number> {
    return this.#count('SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL');
  }

  // Users ------------------------------------------------------------------------------------

  /** @throws ArgusError CONFLICT when the username is taken. */
  async createUser(input: NewUser): Promise<UserRecord> {
    return insertUser(this.#sql, input);
  }

  /** The user with a login name. */
  async findUserByUsername(username: string): Promise<UserRecord | undefined> {
    return (await this.findLogin(username))?.user;
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const rows = await this.#sql.all<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  /** The user and password hash for a login name. */
  async findLogin(username: string): Promise<{ user: UserRecord; passwordHash: string } | undefined> {
    const rows = await this.#sql.all<UserRow & { password_hash: string }>(
      `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = $1`,
      [username],
    );
    if (!rows[0]) return undefined;
    // The hash stays out of the user record.
    const { password_hash: passwordHash, ...user } = rows[0];
    return { user: toUser(user), passwordHash };
  }

  async passwordHashOf(userId: string): Promise<string | undefined> {
    const rows = await this.#sql.all<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [userId],
    );
    return rows[0]?.password_hash;
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.#sql.all<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`);
    return rows.map(toUser);
  }

  async countUsers(): Promise<number> {
    return this.#count('SELECT COUNT(*) AS n FROM users');
  }

  async countAdmins(): Promise<number> {
    return this.#count('SELECT COUNT(*) AS n FROM users WHERE is_admin = 1');
  }

  /** The `n` of a `SELECT COUNT(*) AS n …`. */
  async #count(sql: string): Promise<number> {
    const rows = await this.#sql.all<{ n: number | string }>(sql);
    return Number(rows[0]?.n ?? 0);
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    const result = await this.#sql.run('UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1', [
      userId,
      passwordHash,
      now(),
    ]);
    if (result.changes === 0) throw new ArgusError('NOT_FOUND', `Cannot find user '${userId}'`);
  }

  async updateUser(userId: string, changes: { displayName?: string; isAdmin?: boolean }): Promise<void> {
    const user = await this.getUser(userId);
    if (!user) throw new ArgusError('NOT_FOUND', `Cannot find user '${userId}'`);
    await this.#sql.run('UPDATE users SET display_name = $2, is_admin = $3, updated_at = $4 WHERE id = $1', [
      userId,
      changes.displayName ?? user.displayName,
      (changes.isAdmin ?? user.isAdmin) ? 1 : 0,
      now(),
    ]);
  }

  /** Deletes a user with their sessions and memberships. */
  async deleteUser(userId: string): Promise<void> {
    await this.#sql.transaction(async (tx) => {
      await tx.run('DELETE FROM user_sessions WHERE user_id = $1', [userId]);
      await tx.run('DELETE FROM memberships WHERE user_id = $1', [userId]);
      const result = await tx.run('DELETE FROM users WHERE id = $1', [userId]);
      if (result.changes === 0) throw new ArgusError('NOT_FOUND', `Cannot find user '${userId}'`);
    });
  }

  // Memberships ------------------------------------------------------------------------------

  async setMembership(userId: string, projectId: string, role: Role): Promise<void> {
    await this.#sql.run(
      `INSERT INTO memberships (user_id, project_id, role, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, project_id) DO UPDATE SET role = excluded.role`,
      [userId, projectId, role, now()],
    );
  }

  /** @returns false when the user was not a member. */
  async removeMembership(userId: string, projectId: string): Promise<boolean> {
    const result = await this.#sql.run('DELETE FROM memberships WHERE user_id = $1 AND project_id = $2', [
      userId,
      projectId,
    ]);
    return result.changes > 0;
  }

  /** Project id → role for a user. */
  async rolesOf(userId: string): Promise<Map<string, Role>> {
    const rows = await this.#sql.all<{ project_id: string; role: string }>(
      'SELECT project_id, role FROM memberships WHERE user_id = $1',
      [userId],
    );
    return new Map(rows.map((r) => [r.project_id, r.role as Role]));
  }

  /** Every membership of every user (instance administration), by username then project. */
  async listAllMemberships(): Promise<Membership[]> {
    const rows = await this.#sql.all<MembershipRow>(`${MEMBERSHIP_SELECT} ORDER BY u.username, m.project_id`);
    return rows.map(toMembership);
  }

  async membersOf(projectId: string): Promise<Membership[]> {
    const rows = await this.#sql.all<MembershipRow>(
      `${MEMBERSHIP_SELECT} WHERE m.project_id = $1 ORDER BY u.username`,
      [projectId],
    );
    return rows.map(toMembership);
  }

  // Sessions ---------------------------------------------------------------------------------

  /** Starts a session; the returned token goes in the cookie and is stored only hashed. */
  async createSession(input: {
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

  async findSession(token: string): Promise<SessionRecord | undefined> {
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

  async touchSession(idHash: string, at: number): Promise<void> {
    await this.#sql.run('UPDATE user_sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, at]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#sql.run('DELETE FROM user_sessions WHERE id_hash = $1', [idHash]);
  }

  /** Ends every session of a user except `keepIdHash` (password change, removal). */
  async deleteUserSessions(userId: string, keepIdHash = ''): Promise<number> {
    const result = await this.#sql.run('DELETE FROM user_sessions WHERE user_id = $1 AND id_hash != $2', [
      userId,
      keepIdHash,
    ]);
    return result.changes;
  }

  /** Removes sessions past their absolute or idle end. */
  async purgeSessions(nowMs: number, idleMs: number): Promise<number> {
    const result = await this.#sql.run(
      'DELETE FROM user_sessions WHERE expires_at <= $1 OR last_seen_at <= $2',
      [nowMs, nowMs - idleMs],
    );
    return result.changes;
  }

  // Invites ----------------------------------------------------------------------------------

  /** Creates an invitation; the token is returned here only. */
  async createInvite(input: {
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
  async findInvite(token: string): Promise<(InviteRecord & { tokenHash: string }) | undefined> {
    const hash = sha256(token);
    const rows = await this.#sql.all<InviteRow>(PENDING_INVITE, [hash, Date.now()]);
    return rows[0] ? { ...toInvite(rows[0]), tokenHash: hash } : undefined;
  }

  async markInviteAccepted(tokenHash: string): Promise<void> {
    await this.#sql.run('UPDATE invites SET accepted_at = $2 WHERE token_hash = $1', [tokenHash, Date.now()]);
  }

  /**
   * Accepts an invitation in one transaction: claims the invite (pending and unexpired), creates
   * its user and their membership. A token can succeed once, even when two accepts race.
   * @returns undefined when the token is unknown, expired or used.
   * @throws ArgusError CONFLICT when the invited username was taken meanwhile (the invite stays pending).
   */
  async acceptInvite(
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

  async listInvites(projectId: string): Promise<InviteRecord[]> {
    const rows = await this.#sql.all<InviteRow>(
      `SELECT ${INVITE_COLUMNS} FROM invites WHERE project_id = $1 AND accepted_at IS NULL AND expires_at > $2
       ORDER BY created_at DESC`,
      [projectId, Date.now()],
    );
    return rows.map(toInvite);
  }

  /** @returns false when no pending invite of the project has that id. */
  async deleteInvite(projectId: string, id: string): Promise<boolean> {
    if (!/^[0-9a-f]{16}$/.test(id)) return false;
    const result = await this.#sql.run(
      'DELETE FROM invites WHERE project_id = $1 AND token_hash LIKE $2 AND accepted_at IS NULL',
      [projectId, `${id}%`],
    );
    return result.changes > 0;
  }
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
