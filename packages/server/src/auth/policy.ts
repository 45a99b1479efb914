/**
 * Who may call what: the access levels a route declares when it is registered
 * (`router.on(method, path, access, handler)`), and which roles pass each. The dispatcher checks
 * the level of the route that matched the canonical path before the handler runs, so no spelling
 * of a path can borrow another route's level and no handler can forget a check.
 *
 * - `public`: no credentials (health, the console's files, login, the OpenAPI document).
 * - `optional`: credentials are used when present (and checked), but none is not an error.
 * - `session`: any signed-in principal, no project role needed (who am I, logout, my projects).
 * - `ingest`: sending telemetry and scores — ingest, member and admin roles.
 * - `read`: viewer and above. `write`: member and above. `admin`: project admins.
 * - `instance`: instance administrators (users and projects).
 */
import type { Role } from './context.ts';

export type Access = 'public' | 'optional' | 'session' | 'ingest' | 'read' | 'write' | 'admin' | 'instance';

const RANK: Record<Role, number> = { ingest: 0, viewer: 1, member: 2, admin: 3 };

/** True when `role` on a project grants `access` (project-level levels only). */
export function roleAllows(role: Role, access: Access): boolean {
  switch (access) {
    case 'public':
    case 'optional':
    case 'session':
      return true;
    case 'ingest':
      return role === 'ingest' || RANK[role] >= RANK.member;
    case 'read':
      return RANK[role] >= RANK.viewer;
    case 'write':
      return RANK[role] >= RANK.member;
    case 'admin':
    case 'instance':
      return role === 'admin';
  }
}

/** The weakest role that grants a level (for error messages). */
export function roleNeeded(access: Access): string {
  switch (access) {
    case 'ingest':
      return 'ingest, member or admin';
    case 'read':
      return 'viewer or above';
    case 'write':
      return 'member or admin';
    case 'admin':
      return 'admin';
    case 'instance':
      return 'instance administrator';
    default:
      return 'any';
  }
}
