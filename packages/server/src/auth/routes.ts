/**
 * Governance routes of the API: sign-in and sessions, projects, API keys and the audit log.
 * Each route declares its access level, which the dispatcher enforces; handlers here only check
 * what a level cannot see (an admin cannot remove their own rights, a key cannot rotate itself …).
 * Every change is written to the audit log.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { AuditInput } from '../audit/audit-log.ts';
import type { Config } from '../config.ts';
import { ArgusError } from '../errors.ts';
import { readJsonBody, validate } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Reply, Router } from '../http/router.ts';
import { rejectUnknown } from '../query/index.ts';
import { actorOf, maybeRequestAuth, ROLES, requestAuth } from './context.ts';
import { hashPassword, sha256, verifyPassword } from './secrets.ts';
import { type AuthService, cookieOf, SESSION_COOKIE } from './service.ts';
import type { UserRecord } from './user-repository.ts';

/** What the governance routes need. */
export interface AuthRouteDeps {
  auth: AuthService;
  config: Config;
}

export const PROJECT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const roleSchema = z.enum(ROLES);
const rateSchema = z.number().int().min(0).max(1_000_000);
export const keyCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: roleSchema.default('ingest'),
    rateLimits: z.object({ ingest: rateSchema.optional(), api: rateSchema.optional() }).strict().optional(),
  })
  .strict();
export const projectCreateSchema = z
  .object({
    id: z
      .string()
      .regex(
        PROJECT_ID_PATTERN,
        'must be 1-64 lowercase letters, digits, _ or -, starting with a letter or digit',
      ),
    name: z.string().trim().min(1).max(100),
  })
  .strict();
export const loginSchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict();
/** New passwords: 12+ characters (length beats composition rules, NIST SP 800-63B). */
export const newPasswordSchema = z.string().min(12, 'must have at least 12 characters').max(1024);
export const passwordChangeSchema = z
  .object({ currentPassword: z.string().min(1).max(1024), newPassword: newPasswordSchema })
  .strict();

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
function sessionCookie(
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

/** Who the caller is, their projects and roles, and the CSRF token of their session. */
async function whoAmI(deps: AuthRouteDeps, request: IncomingMessage) {
  const { principal, projectId, instanceAdmin } = requestAuth(request);
  const all = await deps.auth.repos.projects.list();
  const projects =
    principal.kind === 'key'
      ? all.filter((p) => p.id === principal.projectId).map((p) => ({ ...p, role: principal.role }))
      : instanceAdmin
        ? all.map((p) => ({ ...p, role: 'admin' as const }))
        : principal.kind === 'user'
          ? all
              .filter((p) => principal.roles.has(p.id))
              .map((p) => ({ ...p, role: principal.roles.get(p.id)! }))
          : [];
  return {
    authMode: deps.auth.mode,
    principal:
      principal.kind === 'user'
        ? { kind: 'user', id: principal.id, username: principal.username, isAdmin: principal.isAdmin }
        : principal.kind === 'key'
          ? {
              kind: 'key',
              id: principal.id,
              name: principal.name,
              projectId: principal.projectId,
              role: principal.role,
            }
          : { kind: 'anonymous' },
    instanceAdmin,
    currentProject: projectId,
    projects,
    csrfToken: principal.kind === 'user' ? principal.csrfToken : null,
  };
}

/** Registers the auth, projects, keys and audit routes. */
export function registerAuthRoutes(router: Router, deps: AuthRouteDeps): void {
  const { auth, config } = deps;

  router.on('GET', '/api/v1/auth/config', 'public', ({ url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({
      authMode: auth.mode,
      open: auth.mode === 'off',
      loopback: config.loopback,
      sessionTtlSeconds: config.sessionTtlSeconds,
      sessionIdleSeconds: config.sessionIdleSeconds,
      // Single sign-on: the console shows "Sign in with <name>" (auth/oidc-routes.ts).
      sso: config.oidcIssuer ? { enabled: true, name: config.oidcName } : null,
    });
  });

  router.on('POST', '/api/v1/auth/login', 'public', async ({ request }) => {
    const body = await readJsonBody(request, loginSchema, 'sign-in');
    const user = await auth.login(body.username, body.password, auth.ipOf(request));
    return startSession(deps, request, user);
  });

  router.on('POST', '/api/v1/auth/logout', 'session', async ({ request }) => {
    request.resume();
    const { principal } = requestAuth(request);
    const token = request.headers.cookie ? cookieOf(request.headers, SESSION_COOKIE) : undefined;
    if (principal.kind === 'user' && token) {
      await auth.repos.sessions.delete(sha256(token));
      await auditRequest(auth, request, { projectId: '', action: 'auth.logout', target: principal.username });
    }
    return {
      status: 200,
      headers: { 'cache-control': 'no-store', 'set-cookie': sessionCookie(auth, request, '', 0) },
      body: { signedOut: principal.kind === 'user' },
    };
  });

  router.on('GET', '/api/v1/auth/me', 'optional', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    if (!maybeRequestAuth(request)) {
      // Signed out (no credentials, auth on): an answer, so the console can show its sign-in
      // page without a failed request. An ended session still answers 401 ("expired").
      return noStore({
        authMode: auth.mode,
        principal: null,
        instanceAdmin: false,
        currentProject: null,
        projects: [],
        csrfToken: null,
      });
    }
    return noStore(await whoAmI(deps, request));
  });

  router.on('POST', '/api/v1/auth/password', 'session', async ({ request }) => {
    const { principal } = requestAuth(request);
    if (principal.kind !== 'user') {
      request.resume();
      throw new ArgusError('BAD_REQUEST', 'Only a signed-in user can change their password');
    }
    const body = await readJsonBody(request, passwordChangeSchema, 'password change');
    const current = await auth.repos.users.passwordHashOf(principal.id);
    if (!(await verifyPassword(body.currentPassword, current))) {
      await auditRequest(auth, request, {
        projectId: '',
        action: 'user.password',
        target: principal.username,
        outcome: 'failure',
        details: { reason: 'wrong current password' },
      });
      throw new ArgusError('FORBIDDEN', 'The current password is wrong');
    }
    const ended = await replacePassword(auth, request, { userId: principal.id, password: body.newPassword });
    await auditRequest(auth, request, {
      projectId: '',
      action: 'user.password',
      target: principal.username,
      details: { otherSessionsEnded: ended },
    });
    return noStore({ changed: true, otherSessionsEnded: ended });
  });

  // Projects ---------------------------------------------------------------------------------

  router.on('GET', '/api/v1/projects', 'session', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: (await whoAmI(deps, request)).projects });
  });

  router.on('POST', '/api/v1/projects', 'instance', async ({ request }) => {
    const body = await readJsonBody(request, projectCreateSchema, 'project');
    const project = await auth.repos.projects.create(body.id, body.name);
    const { principal } = requestAuth(request);
    // The creator administers the new project (instance admins do anyway).
    if (principal.kind === 'user') await auth.repos.memberships.set(principal.id, project.id, 'admin');
    await auditRequest(auth, request, {
      projectId: project.id,
      action: 'project.create',
      target: project.id,
      details: { name: project.name },
    });
    return noStore(project, 201);
  });

  router.on('PATCH', '/api/v1/projects/:projectId', 'admin', async ({ request, params }) => {
    const body = await readJsonBody(
      request,
      z.object({ name: z.string().trim().min(1).max(100) }).strict(),
      'project',
    );
    const id = params.projectId ?? '';
    // Project admins rename their own project (the one the request acts on); instance admins any.
    const caller = requestAuth(request);
    if (!caller.instanceAdmin && caller.projectId !== id) {
      throw new ArgusError(
        'FORBIDDEN',
        `Cannot rename project '${id}' while acting on project '${caller.projectId}': send x-argus-project: ${id}`,
      );
    }
    await auth.repos.projects.rename(id, body.name);
    await auditRequest(auth, request, {
      projectId: id,
      action: 'project.update',
      target: id,
      details: { name: body.name },
    });
    return noStore({ id, name: body.name });
  });

  // API keys ---------------------------------------------------------------------------------

  router.on('GET', '/api/v1/keys', 'admin', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await auth.repos.keys.list(requestAuth(request).projectId) });
  });

  router.on('POST', '/api/v1/keys', 'admin', async ({ request }) => {
    const body = await readJsonBody(request, keyCreateSchema, 'API key');
    const { projectId } = requestAuth(request);
    const actor = actorOf(request);
    const created = await auth.repos.keys.create({
      projectId,
      name: body.name,
      role: body.role,
      createdBy: actor.name,
      rateLimits: body.rateLimits,
    });
    await auditRequest(auth, request, {
      action: 'key.create',
      target: created.key.id,
      details: { name: body.name, role: body.role, rateLimits: body.rateLimits ?? null },
    });
    return noStore({ ...created.key, secretKey: created.secret, publicKey: created.key.id }, 201);
  });

  router.on('POST', '/api/v1/keys/:keyId/rotate', 'admin', async ({ request, params }) => {
    request.resume();
    const { projectId, principal } = requestAuth(request);
    const id = params.keyId ?? '';
    const rotated = await auth.repos.keys.rotate(projectId, id);
    await auditRequest(auth, request, {
      action: 'key.rotate',
      target: id,
      details: { name: rotated.key.name, self: principal.kind === 'key' && principal.id === id },
    });
    return noStore({ ...rotated.key, secretKey: rotated.secret, publicKey: rotated.key.id });
  });

  router.on('DELETE', '/api/v1/keys/:keyId', 'admin', async ({ request, params }) => {
    request.resume();
    const { projectId } = requestAuth(request);
    const id = params.keyId ?? '';
    const revoked = await auth.repos.keys.revoke(projectId, id);
    await auditRequest(auth, request, { action: 'key.revoke', target: id, details: { name: revoked.name } });
    return noStore(revoked);
  });

  // Audit log --------------------------------------------------------------------------------

  router.on('GET', '/api/v1/audit', 'admin', async ({ request, url }) => {
    rejectUnknown(url.searchParams, ['action', 'actor', 'from', 'to', 'cursor', 'limit', 'scope']);
    const q = validate(
      z
        .object({
          action: z.string().max(100).optional(),
          actor: z.string().max(200).optional(),
          from: z.string().datetime({ offset: true }).optional(),
          to: z.string().datetime({ offset: true }).optional(),
          cursor: z.coerce.number().int().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          scope: z.enum(['project', 'all']).default('project'),
        })
        .strict(),
      Object.fromEntries(url.searchParams),
      'audit query',
    );
    const { projectId, instanceAdmin } = requestAuth(request);
    if (q.scope === 'all' && !instanceAdmin) {
      throw new ArgusError(
        'FORBIDDEN',
        'Only instance administrators can read the whole audit log (scope=all)',
      );
    }
    const page = await auth.audit.list({
      projects: q.scope === 'all' ? 'all' : [projectId],
      action: q.action,
      actorId: q.actor,
      from: q.from ? new Date(q.from).toISOString() : undefined,
      to: q.to ? new Date(q.to).toISOString() : undefined,
      beforeSeq: q.cursor,
      limit: q.limit,
    });
    return noStore(page);
  });

  router.on('GET', '/api/v1/audit/verify', 'admin', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    if (!requestAuth(request).instanceAdmin) {
      throw new ArgusError('FORBIDDEN', 'Only instance administrators can verify the audit chain');
    }
    return noStore(await auth.audit.verify());
  });
}
