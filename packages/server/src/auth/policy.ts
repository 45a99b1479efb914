/**
 * Who may call what: every route's access level, decided in one table by method and path so
 * that no handler can forget a check. The dispatcher applies it before the handler runs.
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

type Rule = [methods: string, pattern: RegExp, access: Access];

const RULES: readonly Rule[] = [
  ['GET', /^\/(api\/v1\/)?health$/, 'public'],
  ['GET', /^\/api\/v1\/openapi\.json$/, 'public'],
  ['GET', /^\/api\/v1\/auth\/config$/, 'public'],
  // Single sign-on: browser redirects, before any session (auth/oidc-routes.ts).
  ['GET', /^\/api\/v1\/auth\/oidc\/(start|callback)$/, 'public'],
  ['POST', /^\/api\/v1\/auth\/(login|invites\/accept)$/, 'public'],
  ['GET', /^\/(api\/v1\/)?info$/, 'public'],
  // Who am I: answered to anyone; signed out is an answer (principal null), not a 401.
  ['GET', /^\/api\/v1\/auth\/me$/, 'optional'],
  ['POST', /^\/api\/v1\/auth\/(logout|password)$/, 'session'],
  ['GET', /^\/api\/v1\/projects$/, 'session'],
  // Telemetry in: OTLP/HTTP (also Langfuse's path), LangSmith runs and feedback, scores.
  ['POST', /^\/(v1|api\/public\/otel\/v1)\/(traces|logs|metrics)$/, 'ingest'],
  ['POST', /^\/(api\/v1\/)?runs(\/batch|\/multipart)?$/, 'ingest'],
  ['PATCH', /^\/(api\/v1\/)?runs\/[^/]+$/, 'ingest'],
  ['POST', /^\/(feedback|api\/v1\/scores)$/, 'ingest'],
  ['PATCH', /^\/api\/v1\/projects\/[^/]+$/, 'admin'],
  ['*', /^\/api\/v1\/(admin\/.*|projects(\/.*)?)$/, 'instance'],
  ['GET', /^\/api\/v1\/(settings\/.*|pricing(\/.*)?)$/, 'read'],
  [
    '*',
    /^\/api\/v1\/(keys|members|invites|audit|erasures|settings|retention|pricing\/overrides)(\/.*)?$/,
    'admin',
  ],
  ['GET', /^\/(api\/|metrics$|runs)/, 'read'],
];

/** The access level a request needs. */
export function accessFor(method: string, pathname: string): Access {
  const m = method === 'HEAD' ? 'GET' : method;
  for (const [methods, pattern, access] of RULES) {
    if ((methods === '*' || methods === m) && pattern.test(pathname)) return access;
  }
  // The console (any other GET) is public; its data comes from the API. Anything else writes.
  if (m === 'GET' && !pathname.startsWith('/api/') && !pathname.startsWith('/v1/')) return 'public';
  return 'write';
}

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
