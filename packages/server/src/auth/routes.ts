/**
 * Access-control routes of the API: sign-in and sessions, projects, API keys and the audit log,
 * each resource registered by its own file (session-, project-, key- and audit-routes.ts), and the
 * helpers they share with the member, user and single sign-on routes. Each route declares its
 * access level, which the dispatcher enforces; handlers only check what a level cannot see (an
 * admin cannot remove their own rights, a key cannot rotate itself …). Every change is audited.
 */
import type { IncomingMessage } from 'node:http';
import type { AuditInput } from '../audit/audit-log.ts';
import type { Config } from '../config.ts';
import type { Reply, Router } from '../http/router.ts';
import { registerAuditRoutes } from './audit-routes.ts';
import { actorOf, requestAuth } from './context.ts';
import { cookieOf } from './credentials.ts';
import { registerKeyRoutes } from './key-routes.ts';
import { registerProjectRoutes } from './project-routes.ts';
import { hashPassword, sha256 } from './secrets.ts';
import { type AuthService, SESSION_COOKIE } from './service.ts';
import { registerSessionRoutes } from './session-routes.ts';
import type { UserRecord } from './user-repository.ts';

/** What the governance routes need. */
export interface AuthRouteDeps {
  auth: AuthService;
  config: Config;
}

/**
 * Sets a user's password and ends their sessions, but for the one of this request when it is
 * theirs (changing or resetting one's own password does not sign one out); answers how many ended.
 */
export async function replacePassword(
  auth: AuthService,
  request: IncomingMessage,
  change: { userId: string; password: string },
): Promise<number> {
  await auth.repos.users.setPassword(change.userId, await hashPassword(change.password));
  const { principal } = requestAuth(request);
  const token =
    principal.kind === 'user' && principal.id === change.userId
      ? cookieOf(request.headers, SESSION_COOKIE)
      : undefined;
  // Sessions are stored by the SHA-256 of their token (session-repository.ts).
  const keep = token ? sha256(token) : '';
  return auth.repos.sessions.deleteOfUser(change.userId, keep);
}

/** Records an audit entry for a request (actor, address and project from the request). */
export function auditRequest(
  auth: AuthService,
  request: IncomingMessage,
  entry: Omit<AuditInput, 'actor' | 'ip' | 'projectId'> & { projectId?: string },
): Promise<unknown> {
  return auth.audit.record({
    actor: actorOf(request),
    ip: auth.ipOf(request),
    projectId: entry.projectId ?? requestAuth(request).projectId,
    ...entry,
  });
}

/** The Set-Cookie value of a session (or of its removal, with maxAgeSeconds 0). */
export function sessionCookie(
  auth: AuthService,
  request: IncomingMessage,
  token: string,
  maxAgeSeconds: number,
): string {
  const secure = auth.isHttps(request) ? '; Secure' : '';
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/**
 * Signs a user in: starts a session, records `auth.login` (with `details`, e.g. the sign-in
 * method), and answers the sign-in reply with the session cookie (shared by the login route,
 * accepting an invite and single sign-on).
 */
export async function startSession(
  deps: AuthRouteDeps,
  request: IncomingMessage,
  user: UserRecord,
  details?: Record<string, unknown>,
): Promise<Reply> {
  const { auth, config } = deps;
  const ip = auth.ipOf(request);
  const { token, session } = await auth.repos.sessions.create({
    userId: user.id,
    ttlMs: config.sessionTtlSeconds * 1000,
    ip,
    userAgent: String(request.headers['user-agent'] ?? ''),
  });
  await auth.audit.record({
    actor: { type: 'user', id: user.id, name: user.username },
    projectId: '',
    action: 'auth.login',
    target: user.username,
    ip,
    ...(details ? { details } : {}),
  });
  return {
    status: 200,
    headers: {
      'cache-control': 'no-store',
      'set-cookie': sessionCookie(auth, request, token, config.sessionTtlSeconds),
    },
    body: {
      user,
      csrfToken: session.csrfToken,
      expiresAt: new Date(session.expiresAt).toISOString(),
      idleTimeoutSeconds: config.sessionIdleSeconds,
    },
  };
}

/** Registers the sign-in and session, projects, API keys and audit routes. */
export function registerAuthRoutes(router: Router, deps: AuthRouteDeps): void {
  registerSessionRoutes(router, deps);
  registerProjectRoutes(router, deps);
  registerKeyRoutes(router, deps);
  registerAuditRoutes(router, deps);
}
