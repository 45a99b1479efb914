/**
 * Single sign-on identities in the metadata store (migration 4): which user a provider's account
 * (issuer + subject) signs in as. Creating a user and their first identity is one transaction, so
 * two first sign-ins of the same account racing each other end with one user.
 */
import { camelRow } from '../store/metadata/rows.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import type { Role } from './context.ts';
import { insertMembership } from './membership-repository.ts';
import { insertUser, type NewUser, type UserRecord } from './user-repository.ts';

/** A provider account: the issuer and the subject it gives the person (stable, never reassigned). */
export interface IdentityKey {
  issuer: string;
  subject: string;
}

/** A stored identity. */
export interface IdentityRecord extends IdentityKey {
  userId: string;
  email: string | null;
  createdAt: string;
  lastLoginAt: string;
}

interface IdentityRow {
  issuer: string;
  subject: string;
  user_id: string;
  email: string | null;
  created_at: string;
  last_login_at: string;
}

const COLUMNS = 'issuer, subject, user_id, email, created_at, last_login_at';
const now = () => new Date().toISOString();

const toIdentity = (row: IdentityRow): IdentityRecord => camelRow(row);

/** The identity repository. */
export class IdentityRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** The identity of a provider account, if it signed in before. */
  async find(key: IdentityKey): Promise<IdentityRecord | undefined> {
    const rows = await this.#sql.all<IdentityRow>(
      `SELECT ${COLUMNS} FROM user_identities WHERE issuer = $1 AND subject = $2`,
      [key.issuer, key.subject],
    );
    return rows[0] ? toIdentity(rows[0]) : undefined;
  }

  /** Identities of a user (from any provider). */
  async listOf(userId: string): Promise<IdentityRecord[]> {
    const rows = await this.#sql.all<IdentityRow>(
      `SELECT ${COLUMNS} FROM user_identities WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
    return rows.map(toIdentity);
  }

  /** Records a sign-in: the time and the e-mail the provider gives now. */
  async touch(key: IdentityKey, email: string | undefined): Promise<void> {
    await this.#sql.run(
      'UPDATE user_identities SET email = $3, last_login_at = $4 WHERE issuer = $1 AND subject = $2',
      [key.issuer, key.subject, email ?? null, now()],
    );
  }

  /**
   * Links a provider account to an existing user that has no identity yet (one statement, so a
   * second account cannot slip in between the check and the insert on SQLite).
   * @returns false when the user already has an identity, or the account is linked elsewhere.
   */
  async linkFirst(key: IdentityKey, userId: string, email: string | undefined): Promise<boolean> {
    const at = now();
    const result = await this.#sql.run(
      `INSERT INTO user_identities (${COLUMNS})
       SELECT $1, $2, $3, $4, $5, $5 WHERE NOT EXISTS (SELECT 1 FROM user_identities WHERE user_id = $3)
       ON CONFLICT (issuer, subject) DO NOTHING`,
      [key.issuer, key.subject, userId, email ?? null, at],
    );
    return result.changes > 0;
  }

  /**
   * Creates a user, their identity and their role on `default` (when given) in one transaction.
   * @returns undefined when the provider account got linked meanwhile (the caller reads it again).
   * @throws ArgusError CONFLICT when the username is taken.
   */
  async createUser(
    key: IdentityKey,
    input: NewUser & { email: string | undefined; defaultRole: Role | undefined },
  ): Promise<UserRecord | undefined> {
    return this.#sql.transaction(async (tx) => {
      const at = now();
      const claimed = await tx.all<{ user_id: string }>(
        'SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2',
        [key.issuer, key.subject],
      );
      if (claimed.length > 0) return undefined;
      const user = await insertUser(tx, input);
      await tx.run(`INSERT INTO user_identities (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $5)`, [
        key.issuer,
        key.subject,
        user.id,
        input.email ?? null,
        at,
      ]);
      if (input.defaultRole)
        await insertMembership(tx, { userId: user.id, projectId: 'default', role: input.defaultRole }, at);
      return user;
    });
  }
}
