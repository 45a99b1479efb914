/** Memberships in the metadata store: a user's role on a project. */
import type { Member } from '@argus/shared';
import { camelRow } from '../store/metadata/rows.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import type { Role } from './context.ts';

/** A user's role on a project, with the user's names. */
export type Membership = Member;

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

const now = () => new Date().toISOString();

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

/** The memberships repository. */
export class MembershipRepository {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** Adds a user to a project, or changes their role there. */
  async set(userId: string, projectId: string, role: Role): Promise<void> {
    await this.#sql.run(
      `INSERT INTO memberships (user_id, project_id, role, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, project_id) DO UPDATE SET role = excluded.role`,
      [userId, projectId, role, now()],
    );
  }

  /** @returns false when the user was not a member. */
  async remove(userId: string, projectId: string): Promise<boolean> {
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
  async listAll(): Promise<Membership[]> {
    const rows = await this.#sql.all<MembershipRow>(`${MEMBERSHIP_SELECT} ORDER BY u.username, m.project_id`);
    return rows.map(toMembership);
  }

  /** The members of a project, by username. */
  async membersOf(projectId: string): Promise<Membership[]> {
    const rows = await this.#sql.all<MembershipRow>(
      `${MEMBERSHIP_SELECT} WHERE m.project_id = $1 ORDER BY u.username`,
      [projectId],
    );
    return rows.map(toMembership);
  }
}
