/**
 * Console users in the metadata store (SQLite or PostgreSQL, one SQL text for both). Passwords are
 * stored as scrypt hashes (secrets.ts) and never leave this file in a user record.
 */
import { randomBytes } from 'node:crypto';
import { ArgusError } from '../errors.ts';
import { camelRow } from '../store/metadata/rows.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';

/** A console user (never the password hash). */
export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  createdAt: string;
}

/** What a new user is made of. */
export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  isAdmin: boolean;
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

/** The users repository. */
export class UserRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** @throws ArgusError CONFLICT when the username is taken. */
  async create(input: NewUser): Promise<UserRecord> {
    return insertUser(this.#sql, input);
  }

  /** The user with a login name. */
  async findByUsername(username: string): Promise<UserRecord | undefined> {
    return (await this.findLogin(username))?.user;
  }

  async get(id: string): Promise<UserRecord | undefined> {
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

  async list(): Promise<UserRecord[]> {
    const rows = await this.#sql.all<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`);
    return rows.map(toUser);
  }

  async count(): Promise<number> {
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

  async update(userId: string, changes: { displayName?: string; isAdmin?: boolean }): Promise<void> {
    const user = await this.get(userId);
    if (!user) throw new ArgusError('NOT_FOUND', `Cannot find user '${userId}'`);
    await this.#sql.run('UPDATE users SET display_name = $2, is_admin = $3, updated_at = $4 WHERE id = $1', [
      userId,
      changes.displayName ?? user.displayName,
      (changes.isAdmin ?? user.isAdmin) ? 1 : 0,
      now(),
    ]);
  }

  /** Deletes a user with their sessions and memberships. */
  async delete(userId: string): Promise<void> {
    await this.#sql.transaction(async (tx) => {
      await tx.run('DELETE FROM user_sessions WHERE user_id = $1', [userId]);
      await tx.run('DELETE FROM memberships WHERE user_id = $1', [userId]);
      const result = await tx.run('DELETE FROM users WHERE id = $1', [userId]);
      if (result.changes === 0) throw new ArgusError('NOT_FOUND', `Cannot find user '${userId}'`);
    });
  }
}
