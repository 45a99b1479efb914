/**
 * Sign-in and sessions: the authentication settings, signing in and out, who am I, and changing
 * one's own password.
 */
import type { IncomingMessage } from 'node:http';
import { ArgusError } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { rejectUnknown } from '../query/index.ts';
import { maybeRequestAuth, requestAuth } from './context.ts';
import { cookieOf } from './credentials.ts';
import { type AuthRouteDeps, auditRequest, replacePassword, sessionCookie, startSession } from './routes.ts';
import { loginSchema, passwordChangeSchema } from './schemas.ts';
import { sha256, verifyPassword } from './secrets.ts';
import { type AuthService, SESSION_COOKIE } from './service.ts';

/** Registers /api/v1/auth/{config,login,logout,me,password}. */
export function registerSessionRoutes(router: Router, deps: AuthRouteDeps): void {
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

  router.on('POST', '/api/v1/auth/password', 'session', ({ request }) => changePassword(auth, request));
}

/** Who the caller is, their projects and roles, and the CSRF token of their session. */
export async function whoAmI(deps: AuthRouteDeps, request: IncomingMessage) {
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

/** Changes the signed-in user's password (the current one checked) and ends their other sessions. */
async function changePassword(auth: AuthService, request: IncomingMessage) {
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
}
