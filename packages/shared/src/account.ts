/**
 * Account and access shapes of the API (docs/security.md): roles, the session and its caller,
 * projects, users, project members, invitations and API keys as the API answers them.
 */

/** Roles on a project, weakest first; `ingest` is for API keys that only send telemetry. */
export const ROLES = ['ingest', 'viewer', 'member', 'admin'] as const;
/** A role on a project. */
export type Role = (typeof ROLES)[number];

/** `GET /api/v1/auth/config` (public). */
export interface AuthConfig {
  authMode: 'on' | 'off';
  open: boolean;
  loopback: boolean;
  sessionTtlSeconds: number;
  sessionIdleSeconds: number;
  /** Single sign-on (OIDC): the sign-in page shows "Sign in with <name>"; null when off. */
  sso: { enabled: boolean; name: string } | null;
}

/** Who is calling, as `GET /api/v1/auth/me` shows it. */
export type Principal =
  | { kind: 'user'; id: string; username: string; isAdmin: boolean }
  | { kind: 'key'; id: string; name: string; projectId: string; role: Role }
  | { kind: 'anonymous' };

/** A project the caller can see, with their role there. */
export interface ProjectAccess {
  id: string;
  name: string;
  role: Role;
  createdAt?: string;
}

/** `GET /api/v1/auth/me`. */
export interface Me {
  authMode: 'on' | 'off';
  principal: Principal;
  instanceAdmin: boolean;
  currentProject: string;
  projects: ProjectAccess[];
  csrfToken: string | null;
}

/** A console user. */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  createdAt: string;
  /** Their project roles (in the users list of instance administrators). */
  memberships?: { projectId: string; role: Role }[];
}

/** The answer of sign-in and invite acceptance. */
export interface SignedIn {
  user: Account;
  csrfToken: string;
  expiresAt: string;
}

/** Per-key rate limits, requests per second. */
export interface RateLimits {
  ingest?: number;
  api?: number;
}

/** An API key as listed (never its secret). */
export interface ApiKey {
  /** The public key, `pk-argus-…`: the key's id in the API and the user part of Basic auth. */
  id: string;
  projectId: string;
  name: string;
  role: Role;
  /** First characters of the secret, to recognise it. */
  secretPrefix: string;
  rateLimits: RateLimits | null;
  createdAt: string;
  createdBy: string;
  rotatedAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key just created or rotated: the only time its secret is shown. */
export interface KeyWithSecret extends ApiKey {
  secretKey: string;
}

/** A member of a project: a user's role there. */
export interface Member {
  userId: string;
  username: string;
  displayName: string;
  projectId: string;
  role: Role;
  createdAt: string;
}

/** A pending invitation. */
export interface Invite {
  id: string;
  username: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

/** The answer of an invitation: an existing user is added at once, anyone else gets a link. */
export type InviteResult =
  | { added: true; member: Member }
  | { added: false; invite: Invite; token: string; acceptUrl: string };
