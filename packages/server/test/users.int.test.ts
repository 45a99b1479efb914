/**
 * Users, roles and invitations end to end, with authentication on: an administrator signs in
 * with a real cookie jar, creates projects, invites people who accept and sign in; viewers read
 * but cannot write; removed users lose access at once; the last administrator is protected; and
 * the audit log records every change without a password or token in it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, Browser } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const ADMIN_PASSWORD = 'first-admin-password-1';
let server: TestServer;
let admin: Browser;
/** Every secret this file handles; none may appear in the audit log. */
const secrets: string[] = [ADMIN_PASSWORD];

beforeAll(async () => {
  server = await startTestServer({ auth: 'on', adminPassword: ADMIN_PASSWORD });
  admin = new Browser(server.url);
  expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(200);
});
afterAll(async () => {
  await server?.stop();
});
// Why: the audit log is for everyone with audit access; no password or token may ever reach it.
afterEach(async () => {
  const log = JSON.stringify(await auditEntries());
  for (const secret of secrets) expect(log).not.toContain(secret);
});

/** Creates a project as the administrator and answers a browser acting on it. */
async function newProject(id: string): Promise<Browser> {
  const created = await admin.request('POST', '/api/v1/projects', { id, name: `Project ${id}` });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const onProject = new Browser(server.url, id);
  onProject.cookie = admin.cookie;
  onProject.csrf = admin.csrf;
  return onProject;
}

/** Invites `username` to the browser's project and has them accept; answers their browser. */
async function invited(
  projectAdmin: Browser,
  username: string,
  role: string,
): Promise<{ user: Browser; userId: string; token: string; password: string }> {
  const invite = await projectAdmin.request('POST', '/api/v1/invites', { username, role });
  expect(invite.status, JSON.stringify(invite.body)).toBe(201);
  const token = String(invite.body.token);
  const password = `${username}-password-long`;
  secrets.push(token, password);
  const user = new Browser(server.url);
  const accepted = await user.acceptInvite(token, password);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return { user, userId: String((accepted.body.user as { id: string }).id), token, password };
}

/** Audit entries visible to the instance administrator (every project). */
async function auditEntries(action?: string): Promise<Record<string, unknown>[]> {
  const query = `scope=all&limit=1000${action ? `&action=${action}` : ''}`;
  const answer = await admin.request<{ data: Record<string, unknown>[] }>('GET', `/api/v1/audit?${query}`);
  expect(answer.status).toBe(200);
  return answer.body.data;
}

const errorOf = (answer: Answer) => (answer.body as { error?: { code: string; message: string } }).error;

describe('users and roles', () => {
  it('invites a user who accepts, is signed in, and can sign in again; the token works once', async () => {
    const teamA = await newProject('team-a');
    const invite = await teamA.request('POST', '/api/v1/invites', { username: 'alice', role: 'member' });
    expect(invite.status).toBe(201);
    expect(invite.body).toMatchObject({
      added: false,
      invite: { username: 'alice', projectId: 'team-a', role: 'member' },
    });
    const token = String(invite.body.token);
    secrets.push(token);
    expect(invite.body.acceptUrl).toBe(`${server.url}/accept-invite#token=${encodeURIComponent(token)}`);
    const pending = await teamA.request<{ data: Record<string, unknown>[] }>('GET', '/api/v1/invites');
    expect(pending.body.data.map((i) => i.username)).toEqual(['alice']);
    expect(JSON.stringify(pending.body)).not.toContain(token);

    const alice = new Browser(server.url);
    // Why: NIST-style length floor; the message names the field and the rule.
    const short = await alice.acceptInvite(token, 'short');
    expect(short.status).toBe(400);
    expect(errorOf(short)?.message).toContain("'password'");
    const accepted = await alice.acceptInvite(token, 'alice-password-long', 'Alice');
    secrets.push('alice-password-long');
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const me = await alice.request('GET', '/api/v1/auth/me');
    expect(me.body).toMatchObject({
      principal: { username: 'alice', isAdmin: false },
      currentProject: 'team-a',
      projects: [{ id: 'team-a', role: 'member' }],
    });
    expect((await alice.request('GET', '/api/v1/traces')).status).toBe(200);
    alice.project = 'default';
    expect(errorOf(await alice.request('GET', '/api/v1/traces'))?.message).toContain(
      "not a member of project 'default'",
    );

    const reused = await new Browser(server.url).acceptInvite(token, 'another-password-1');
    expect(reused.status).toBe(404);
    expect(errorOf(reused)?.message).toContain('invalid, expired or already used');
    expect((await teamA.request<{ data: unknown[] }>('GET', '/api/v1/invites')).body.data).toEqual([]);
    expect((await new Browser(server.url).login('alice', 'alice-password-long')).status).toBe(200);

    const members = await teamA.request<{ data: Record<string, unknown>[] }>('GET', '/api/v1/members');
    expect(members.body.data.map((m) => [m.username, m.role])).toEqual([
      ['admin', 'admin'],
      ['alice', 'member'],
    ]);
    const actions = (await auditEntries()).filter((e) => e.projectId === 'team-a').map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['project.create', 'invite.create', 'invite.accept']));
  });

  it('adds an existing user directly, changes roles, refuses the ingest role, and revokes invites', async () => {
    const teamB = await newProject('team-b');
    const { userId } = await invited(teamB, 'bruno', 'viewer');
    const teamC = await newProject('team-c');
    const added = await teamC.request('POST', '/api/v1/invites', { username: 'bruno', role: 'member' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ added: true, member: { userId, username: 'bruno', role: 'member' } });
    expect(added.body.token).toBeUndefined();
    expect(
      (await teamC.request('POST', '/api/v1/invites', { username: 'bruno', role: 'admin' })).status,
    ).toBe(409);

    const ingest = await teamB.request('PUT', `/api/v1/members/${userId}`, { role: 'ingest' });
    expect(ingest.status).toBe(400);
    expect(errorOf(ingest)?.message).toContain('API keys only');
    const promoted = await teamB.request('PUT', `/api/v1/members/${userId}`, { role: 'admin' });
    expect(promoted.body).toMatchObject({ username: 'bruno', role: 'admin' });
    expect((await teamB.request('PUT', '/api/v1/members/usr_nobody', { role: 'admin' })).status).toBe(404);

    const pending = await teamB.request('POST', '/api/v1/invites', { username: 'carol', role: 'viewer' });
    const inviteId = (pending.body.invite as { id: string }).id;
    secrets.push(String(pending.body.token));
    expect((await teamB.request('DELETE', `/api/v1/invites/${inviteId}`)).status).toBe(200);
    expect((await teamB.request('DELETE', `/api/v1/invites/${inviteId}`)).status).toBe(404);
    const revokedToken = await new Browser(server.url).acceptInvite(
      String(pending.body.token),
      'carol-password-long',
    );
    expect(revokedToken.status).toBe(404);

    const entries = await auditEntries();
    const about = (action: string) => entries.filter((e) => e.action === action).map((e) => e.target);
    expect(about('member.add')).toContain('bruno');
    expect(about('member.role')).toContain('bruno');
    expect(about('invite.revoke')).toContain('carol');
  });

  it('lets a viewer read while every write answers 403', async () => {
    const teamV = await newProject('team-v');
    const { user: viewer } = await invited(teamV, 'victor', 'viewer');
    for (const path of [
      '/api/v1/traces',
      '/api/v1/spans',
      '/api/v1/alerts/rules',
      '/api/v1/pricing/overrides',
      '/api/v1/export/spans',
    ]) {
      expect((await viewer.request('GET', path)).status, path).toBe(200);
    }
    const writes: [string, string, unknown?][] = [
      ['GET', '/api/v1/keys'],
      ['POST', '/api/v1/keys', { name: 'k' }],
      ['POST', '/api/v1/keys/pk-argus-x/rotate'],
      ['DELETE', '/api/v1/keys/pk-argus-x'],
      ['GET', '/api/v1/members'],
      ['PUT', '/api/v1/members/usr_x', { role: 'admin' }],
      ['DELETE', '/api/v1/members/usr_x'],
      ['POST', '/api/v1/invites', { username: 'mallory', role: 'admin' }],
      ['DELETE', '/api/v1/invites/0123456789abcdef'],
      ['PUT', '/api/v1/settings/retention', { days: 7 }],
      ['POST', '/api/v1/scores', { traceId: 'a'.repeat(32), name: 'x', value: 1 }],
      ['POST', '/api/v1/alerts/rules', { name: 'r' }],
      ['POST', '/api/v1/erasures', { userId: 'someone' }],
      ['PUT', '/api/v1/pricing/overrides', { data: [] }],
      ['GET', '/api/v1/audit'],
      ['POST', '/api/v1/projects', { id: 'mine', name: 'Mine' }],
      ['GET', '/api/v1/admin/users'],
      ['POST', '/api/v1/admin/users', { username: 'mallory' }],
    ];
    for (const [method, path, body] of writes) {
      const answer = await viewer.request(method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(answer.body)}`).toBe(403);
      expect(errorOf(answer)?.code).toBe('FORBIDDEN');
    }
    // Why: a signed-in write without the session's CSRF token is refused whatever the role.
    const noCsrf = await admin.request('POST', '/api/v1/keys', { name: 'k' }, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(errorOf(noCsrf)?.message).toContain('x-argus-csrf');
  });

  it('ends access at once for a removed member and a deleted user', async () => {
    const teamR = await newProject('team-r');
    const { user: rita, userId } = await invited(teamR, 'rita', 'member');
    expect((await rita.request('GET', '/api/v1/traces')).status).toBe(200);
    expect((await teamR.request('DELETE', `/api/v1/members/${userId}`)).status).toBe(200);
    const afterRemoval = await rita.request('GET', '/api/v1/traces');
    expect(afterRemoval.status).toBe(403);
    // Still signed in (no project left): public and session routes keep working.
    expect((await rita.request('GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await rita.request('GET', '/health')).status).toBe(200);

    expect((await admin.request('DELETE', `/api/v1/admin/users/${userId}`)).status).toBe(200);
    const afterDelete = await rita.request('GET', '/api/v1/auth/me');
    expect(afterDelete.status).toBe(401);
    expect((await new Browser(server.url).login('rita', 'rita-password-long')).status).toBe(401);
    const entries = await auditEntries();
    expect(entries.some((e) => e.action === 'member.remove' && e.target === 'rita')).toBe(true);
    expect(entries.some((e) => e.action === 'user.delete' && e.target === 'rita')).toBe(true);
  });

  it('creates users, resets passwords (ending sessions) and protects the last administrator', async () => {
    const created = await admin.request('POST', '/api/v1/admin/users', {
      username: 'dora',
      displayName: 'Dora',
      projects: [{ id: 'default', role: 'member' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const first = String(created.body.password);
    secrets.push(first);
    expect(first).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(created.body.user).toMatchObject({
      username: 'dora',
      isAdmin: false,
      memberships: [{ projectId: 'default', role: 'member' }],
    });
    const doraId = String((created.body.user as { id: string }).id);
    const dora = new Browser(server.url);
    expect((await dora.login('dora', first)).status).toBe(200);
    expect((await admin.request('POST', '/api/v1/admin/users', { username: 'dora' })).status).toBe(409);

    const reset = await admin.request('POST', `/api/v1/admin/users/${doraId}/reset-password`);
    expect(reset.status).toBe(200);
    const second = String(reset.body.password);
    secrets.push(second);
    expect(reset.body.sessionsEnded).toBe(1);
    expect((await dora.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await new Browser(server.url).login('dora', first)).status).toBe(401);
    expect((await dora.login('dora', second)).status).toBe(200);

    const listed = await admin.request<{ data: Record<string, unknown>[] }>('GET', '/api/v1/admin/users');
    expect(listed.body.data.find((u) => u.username === 'dora')).toMatchObject({ displayName: 'Dora' });
    const adminId = String(listed.body.data.find((u) => u.username === 'admin')!.id);

    // Why: with one instance administrator, neither deleting nor demoting them is allowed.
    const lastDelete = await admin.request('DELETE', `/api/v1/admin/users/${adminId}`);
    expect(lastDelete.status).toBe(409);
    expect(errorOf(lastDelete)?.message).toContain('last instance administrator');
    expect((await admin.request('PATCH', `/api/v1/admin/users/${adminId}`, { isAdmin: false })).status).toBe(
      409,
    );
    // Why: with two, nobody may still delete or demote themselves.
    expect((await admin.request('PATCH', `/api/v1/admin/users/${doraId}`, { isAdmin: true })).status).toBe(
      200,
    );
    const selfDelete = await admin.request('DELETE', `/api/v1/admin/users/${adminId}`);
    expect(selfDelete.status).toBe(403);
    expect(errorOf(selfDelete)?.message).toContain('your own account');
    expect((await admin.request('PATCH', `/api/v1/admin/users/${adminId}`, { isAdmin: false })).status).toBe(
      403,
    );
    expect((await dora.request('GET', '/api/v1/admin/users')).status).toBe(200);
    expect((await admin.request('PATCH', `/api/v1/admin/users/${doraId}`, { isAdmin: false })).status).toBe(
      200,
    );
    expect((await dora.request('GET', '/api/v1/admin/users')).status).toBe(403);

    const actions = new Set((await auditEntries()).map((e) => e.action));
    for (const action of ['user.create', 'user.update', 'user.password_reset'])
      expect(actions).toContain(action);
  });
});
