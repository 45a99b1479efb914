/**
 * The access-control repositories, one per concept, over one metadata store (SQLite or
 * PostgreSQL, one SQL text for both). Secrets never reach the database: API keys, session ids and
 * invite tokens are stored as SHA-256, passwords as scrypt (secrets.ts).
 */
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { InviteRepository } from './invite-repository.ts';
import { KeyRepository } from './key-repository.ts';
import { MembershipRepository } from './membership-repository.ts';
import { ProjectRepository } from './project-repository.ts';
import { SessionRepository } from './session-repository.ts';
import { UserRepository } from './user-repository.ts';

/** Projects, API keys, users, memberships, console sessions and invitations. */
export interface AuthRepositories {
  readonly projects: ProjectRepository;
  readonly keys: KeyRepository;
  readonly users: UserRepository;
  readonly memberships: MembershipRepository;
  readonly sessions: SessionRepository;
  readonly invites: InviteRepository;
}

/** The access-control repositories over one metadata store's client. */
export function createAuthRepositories(sql: SqlClient): AuthRepositories {
  return {
    projects: new ProjectRepository(sql),
    keys: new KeyRepository(sql),
    users: new UserRepository(sql),
    memberships: new MembershipRepository(sql),
    sessions: new SessionRepository(sql),
    invites: new InviteRepository(sql),
  };
}
