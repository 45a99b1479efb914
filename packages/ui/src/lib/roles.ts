/**
 * What the caller's role allows, mirroring the server's policy (packages/server/src/auth/policy.ts)
 * so that controls a role cannot use are hidden or disabled with the reason. The server enforces
 * it anyway (403). Pure.
 */
import type { Role } from '@argus/shared';

/** What a control needs: `write` (member or admin), `admin` (project admin), `instance` (instance admin). */
export type Need = 'read' | 'write' | 'admin' | 'instance';

/** The caller's standing on the selected project. */
export interface Standing {
  role: Role | undefined;
  instanceAdmin: boolean;
}

const RANK: Record<Role, number> = { ingest: 0, viewer: 1, member: 2, admin: 3 };

/** True when the standing grants the need. */
export function isAllowed(standing: Standing, need: Need): boolean {
  if (standing.instanceAdmin) return true;
  if (need === 'instance' || !standing.role) return false;
  const rank = RANK[standing.role];
  if (need === 'read') return rank >= RANK.viewer;
  if (need === 'write') return rank >= RANK.member;
  return rank >= RANK.admin;
}

/** The role a need asks for, in words: `the member or admin role`. */
export function neededRole(need: Need): string {
  switch (need) {
    case 'read':
      return 'the viewer role or above';
    case 'write':
      return 'the member or admin role';
    case 'admin':
      return 'the admin role';
    case 'instance':
      return 'an instance administrator';
  }
}

/**
 * The tooltip of a control the standing cannot use, or undefined when it can:
 * `Needs the admin role on this project (your role: viewer)`.
 */
export function deniedReason(standing: Standing, need: Need): string | undefined {
  if (isAllowed(standing, need)) return undefined;
  const yours = standing.role ? ` (your role: ${standing.role})` : '';
  return need === 'instance'
    ? 'Needs an instance administrator'
    : `Needs ${neededRole(need)} on this project${yours}`;
}
