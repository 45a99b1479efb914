/**
 * Instance administration of users under /api/v1/admin/users (instance administrators only, the
 * level each route declares): list with memberships, create (a generated password is answered once), rename and
 * promote, reset a password, delete. The last instance administrator can never be removed or
 * demoted, and nobody can remove or demote themselves.
 */
import type { IncomingMessage } from 'node:http';
import { ArgusError } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { rejectUnknown } from '../query/index.ts';
import { requestAuth } from './context.ts';
import type { Membership } from './membership-repository.ts';
import { type AuthRouteDeps, auditRequest, replacePassword } from './routes.ts';
import { userCreateSchema, userUpdateSchema } from './schemas.ts';
import { generatePassword, hashPassword } from './secrets.ts';
import type { AuthService } from './service.ts';
import type { UserRecord } from './user-repository.ts';

/** A user with their project roles. */
type UserWithMemberships = UserRecord & { memberships: { projectId: string; role: Membership['role'] }[] };

/** Registers /api/v1/admin/users routes. */
export function registerAdminUserRoutes(router: Router, deps: AuthRouteDeps): void {
  const { auth } = deps;

  router.on('GET', '/api/v1/admin/users', 'instance', async ({ url }) => {
    rejectUnknown(url.searchParams, []);
    const [users, memberships] = await Promise.all([
      auth.repos.users.list(),
      auth.repos.memberships.listAll(),
    ]);
    return noStore({ data: users.map((user) => withMemberships(user, memberships)) });
  });

  router.on('POST', '/api/v1/admin/users', 'instance', ({ request }) => createUser(auth, request));

  router.on('PATCH', '/api/v1/admin/users/:userId', 'instance', async ({ request, params }) => {
    const body = await readJsonBody(request, userUpdateSchema, 'user');
    const user = await userOf(auth, params.userId ?? '');
    if (body.isAdmin === false && user.isAdmin) await assertNotLastOrSelf(auth, request, user, 'demote');
    await auth.repos.users.update(user.id, body);
    await auditRequest(auth, request, {
      projectId: '',
      action: 'user.update',
      target: user.username,
      details: { userId: user.id, ...body },
    });
    const updated = (await auth.repos.users.get(user.id))!;
    return noStore(withMemberships(updated, await auth.repos.memberships.listAll()));
  });

  router.on('POST', '/api/v1/admin/users/:userId/reset-password', 'instance', async ({ request, params }) => {
    request.resume();
    const user = await userOf(auth, params.userId ?? '');
    const password = generatePassword();
    const sessionsEnded = await replacePassword(auth, request, { userId: user.id, password });
    await auditRequest(auth, request, {
      projectId: '',
      action: 'user.password_reset',
      target: user.username,
      details: { userId: user.id, sessionsEnded },
    });
    return noStore({ password, sessionsEnded });
  });

  router.on('DELETE', '/api/v1/admin/users/:userId', 'instance', async ({ request, params }) => {
    request.resume();
    const user = await userOf(auth, params.userId ?? '');
    await assertNotLastOrSelf(auth, request, user, 'delete');
    await auth.repos.users.delete(user.id);
    await auditRequest(auth, request, {
      projectId: '',
      action: 'user.delete',
      target: user.username,
      details: { userId: user.id, isAdmin: user.isAdmin },
    });
    return noStore({ deleted: true, user });
  });
}

/** Creates a user with their project roles; a generated password is answered once. */
async function createUser(auth: AuthService, request: IncomingMessage) {
  const body = await readJsonBody(request, userCreateSchema, 'user');
  for (const project of body.projects) {
    if (!(await auth.repos.projects.exists(project.id)))
      throw new ArgusError('NOT_FOUND', `Cannot add the user to project '${project.id}': no such project`);
  }
  const password = body.password ?? generatePassword();
  const user = await auth.repos.users.create({
    username: body.username,
    displayName: body.displayName ?? body.username,
    passwordHash: await hashPassword(password),
    isAdmin: body.isAdmin,
  });
  for (const project of body.projects) await auth.repos.memberships.set(user.id, project.id, project.role);
  await auditRequest(auth, request, {
    projectId: '',
    action: 'user.create',
    target: user.username,
    details: {
      userId: user.id,
      isAdmin: user.isAdmin,
      projects: body.projects,
      password: body.password ? 'given' : 'generated',
    },
  });
  const created = withMemberships(user, await auth.repos.memberships.listAll());
  return noStore(body.password ? { user: created } : { user: created, password }, 201);
}

function withMemberships(user: UserRecord, memberships: Membership[]): UserWithMemberships {
  return {
    ...user,
    memberships: memberships
      .filter((m) => m.userId === user.id)
      .map((m) => ({ projectId: m.projectId, role: m.role })),
  };
}

async function userOf(auth: AuthService, userId: string): Promise<UserRecord> {
  const user = await auth.repos.users.get(userId);
  if (!user) throw new ArgusError('NOT_FOUND', `Cannot find user '${userId}'`);
  return user;
}

/** Refuses to delete or demote the last instance administrator, or oneself. */
async function assertNotLastOrSelf(
  auth: AuthService,
  request: IncomingMessage,
  user: UserRecord,
  verb: 'delete' | 'demote',
): Promise<void> {
  if (user.isAdmin && (await auth.repos.users.countAdmins()) <= 1) {
    throw new ArgusError(
      'CONFLICT',
      `Cannot ${verb} '${user.username}': they are the last instance administrator; make another user an administrator first`,
    );
  }
  const { principal } = requestAuth(request);
  if (principal.kind === 'user' && principal.id === user.id) {
    throw new ArgusError(
      'FORBIDDEN',
      verb === 'delete'
        ? 'You cannot delete your own account; ask another instance administrator'
        : 'You cannot remove your own instance-administrator rights; ask another instance administrator',
    );
  }
}
