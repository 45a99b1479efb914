/**
 * People on a project: its members and their roles, invitations, and accepting an invitation
 * (which creates the user and signs them in). Instance administration of users lives in
 * admin-user-routes.ts and is registered from here. Each route declares its access level
 * (`/members*` and `/invites*` need the project's admin role, accepting is public); handlers
 * check what a level cannot see, such as a project left without an administrator.
 */
import type { IncomingMessage } from 'node:http';
import { ArgusError } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { rejectUnknown } from '../query/index.ts';
import { registerAdminUserRoutes } from './admin-user-routes.ts';
import { actorOf, requestAuth } from './context.ts';
import type { Membership } from './membership-repository.ts';
import { type AuthRouteDeps, auditRequest, startSession } from './routes.ts';
import { acceptSchema, inviteSchema, roleBodySchema } from './schemas.ts';
import { hashPassword } from './secrets.ts';
import type { AuthService } from './service.ts';

/** How long an invitation can be accepted. */
export const INVITE_TTL_MS = 7 * 24 * 3600_000;

/** Registers members, invites, invite acceptance and the instance administration of users. */
export function registerUserRoutes(router: Router, deps: AuthRouteDeps): void {
  registerMemberRoutes(router, deps);
  registerInviteRoutes(router, deps);
  registerAdminUserRoutes(router, deps);
}

/** Registers /api/v1/members routes. */
function registerMemberRoutes(router: Router, deps: AuthRouteDeps): void {
  const { auth } = deps;

  router.on('GET', '/api/v1/members', 'admin', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await auth.repos.memberships.membersOf(requestAuth(request).projectId) });
  });

  router.on('PUT', '/api/v1/members/:userId', 'admin', async ({ request, params }) => {
    const { role } = await readJsonBody(request, roleBodySchema, 'member');
    const { projectId } = requestAuth(request);
    const member = await memberOf(auth, projectId, params.userId ?? '');
    if (member.role !== role) {
      await assertKeepsAdmin(auth, projectId, member, 'change the role of');
      await auth.repos.memberships.set(member.userId, projectId, role);
      await auditRequest(auth, request, {
        action: 'member.role',
        target: member.username,
        details: { userId: member.userId, role, previousRole: member.role },
      });
    }
    return noStore({ ...member, role });
  });

  router.on('DELETE', '/api/v1/members/:userId', 'admin', async ({ request, params }) => {
    request.resume();
    const { projectId } = requestAuth(request);
    const member = await memberOf(auth, projectId, params.userId ?? '');
    await assertKeepsAdmin(auth, projectId, member, 'remove');
    await auth.repos.memberships.remove(member.userId, projectId);
    await auditRequest(auth, request, {
      action: 'member.remove',
      target: member.username,
      details: { userId: member.userId, role: member.role },
    });
    return noStore({ removed: true, member });
  });
}

/** Registers /api/v1/invites routes and accepting an invitation. */
function registerInviteRoutes(router: Router, deps: AuthRouteDeps): void {
  const { auth } = deps;

  router.on('GET', '/api/v1/invites', 'admin', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await auth.repos.invites.list(requestAuth(request).projectId) });
  });

  router.on('POST', '/api/v1/invites', 'admin', ({ request }) => inviteUser(deps, request));

  router.on('DELETE', '/api/v1/invites/:inviteId', 'admin', async ({ request, params }) => {
    request.resume();
    const { projectId } = requestAuth(request);
    const id = params.inviteId ?? '';
    const invite = (await auth.repos.invites.list(projectId)).find((i) => i.id === id);
    if (!invite || !(await auth.repos.invites.delete(projectId, id))) {
      throw new ArgusError(
        'NOT_FOUND',
        `Cannot revoke invitation '${id}': no pending invitation with that id in project '${projectId}'`,
      );
    }
    await auditRequest(auth, request, {
      action: 'invite.revoke',
      target: invite.username,
      details: { inviteId: id, role: invite.role },
    });
    return noStore({ revoked: true, invite });
  });

  router.on('POST', '/api/v1/auth/invites/accept', 'public', async ({ request }) => {
    const body = await readJsonBody(request, acceptSchema, 'invitation acceptance');
    // Checked before hashing, so an unknown token costs no scrypt work.
    const pending = await auth.repos.invites.find(body.token);
    if (!pending) throw invalidInvite();
    if (await auth.repos.users.findByUsername(pending.username)) {
      throw new ArgusError(
        'CONFLICT',
        `Cannot accept the invitation: a user named '${pending.username}' exists already; sign in as them and ask a project admin to add you`,
      );
    }
    const accepted = await auth.repos.invites.accept(body.token, {
      displayName: body.displayName ?? pending.username,
      passwordHash: await hashPassword(body.password),
    });
    if (!accepted) throw invalidInvite();
    const { invite, user } = accepted;
    await auth.audit.record({
      actor: { type: 'user', id: user.id, name: user.username },
      ip: auth.ipOf(request),
      projectId: invite.projectId,
      action: 'invite.accept',
      target: user.username,
      details: { inviteId: invite.id, role: invite.role, invitedBy: invite.createdBy },
    });
    return startSession(deps, request, user);
  });
}

/**
 * Invites a user to the project: an existing user becomes a member at once; anyone else gets an
 * invitation whose token and accept URL this answer alone carries.
 */
async function inviteUser(deps: AuthRouteDeps, request: IncomingMessage) {
  const { auth } = deps;
  const body = await readJsonBody(request, inviteSchema, 'invitation');
  const { projectId } = requestAuth(request);
  const existing = await auth.repos.users.findByUsername(body.username);
  if (existing) {
    const current = (await auth.repos.memberships.rolesOf(existing.id)).get(projectId);
    if (current !== undefined) {
      throw new ArgusError(
        'CONFLICT',
        `Cannot add '${body.username}': they are already a member of project '${projectId}' (role ${current}); change their role with PUT /api/v1/members/${existing.id}`,
      );
    }
    await auth.repos.memberships.set(existing.id, projectId, body.role);
    await auditRequest(auth, request, {
      action: 'member.add',
      target: existing.username,
      details: { userId: existing.id, role: body.role },
    });
    const member = (await auth.repos.memberships.membersOf(projectId)).find((m) => m.userId === existing.id);
    return noStore({ added: true, member }, 201);
  }
  const { invite, token } = await auth.repos.invites.create({
    username: body.username,
    projectId,
    role: body.role,
    createdBy: actorOf(request).name,
    ttlMs: INVITE_TTL_MS,
  });
  await auditRequest(auth, request, {
    action: 'invite.create',
    target: invite.username,
    details: { inviteId: invite.id, role: invite.role, expiresAt: invite.expiresAt },
  });
  const acceptUrl = `${originOf(request, deps)}/accept-invite#token=${encodeURIComponent(token)}`;
  return noStore({ added: false, invite, token, acceptUrl }, 201);
}

function invalidInvite(): ArgusError {
  return new ArgusError(
    'NOT_FOUND',
    'This invitation is invalid, expired or already used; ask a project admin for a new one',
  );
}

/** The membership of a user on a project. */
async function memberOf(auth: AuthService, projectId: string, userId: string): Promise<Membership> {
  const member = (await auth.repos.memberships.membersOf(projectId)).find((m) => m.userId === userId);
  if (!member)
    throw new ArgusError('NOT_FOUND', `User '${userId}' is not a member of project '${projectId}'`);
  return member;
}

/**
 * Refuses to take the last admin role of a project away (role change or removal) when no
 * instance administrator exists to administer it instead.
 */
async function assertKeepsAdmin(
  auth: AuthService,
  projectId: string,
  member: Membership,
  verb: string,
): Promise<void> {
  if (member.role !== 'admin') return;
  const members = await auth.repos.memberships.membersOf(projectId);
  if (members.some((m) => m.role === 'admin' && m.userId !== member.userId)) return;
  if ((await auth.repos.users.countAdmins()) > 0) return;
  throw new ArgusError(
    'CONFLICT',
    `Cannot ${verb} '${member.username}': they are the only admin of project '${projectId}' and there is no instance administrator; make another member admin first`,
  );
}

/** The origin clients reach this server at (the Host the request was sent to). */
function originOf(request: IncomingMessage, deps: AuthRouteDeps): string {
  const forwarded = deps.config.trustProxy ? request.headers['x-forwarded-host'] : undefined;
  const host =
    (typeof forwarded === 'string' && forwarded.split(',')[0]?.trim()) ||
    request.headers.host ||
    `${deps.config.host}:${deps.config.port}`;
  return `${deps.auth.isHttps(request) ? 'https' : 'http'}://${host}`;
}
