/**
 * Member and invitation rules that need states an authenticated server never reaches (no
 * instance administrator at all), run on the routes in-process over in-memory SQLite.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.ts';
import { loadConfig } from '../config.ts';
import { errorReply } from '../http/respond.ts';
import { type Reply, Router } from '../http/router.ts';
import { createLogger } from '../logger.ts';
import { MetadataStore } from '../store/metadata/metadata-store.ts';
import { openSqliteClient } from '../store/metadata/sqlite-client.ts';
import { setRequestAuth } from './context.ts';
import { createAuthRepositories } from './repositories.ts';
import { AuthService } from './service.ts';
import { registerUserRoutes } from './user-routes.ts';

const sql = openSqliteClient(':memory:');
const repos = createAuthRepositories(sql);
const router = new Router();
const logger = createLogger('silent');
let audit: AuditLog;

beforeAll(async () => {
  await new MetadataStore(sql).migrate();
  const config = loadConfig({ auth: 'off' }, {});
  audit = new AuditLog(sql);
  registerUserRoutes(router, { auth: new AuthService({ repos, audit, config, logger }), config });
});
afterAll(async () => {
  await sql.close();
});

/** Calls a route as the server would for an anonymous (auth off) caller on `default`. */
async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply & { body: Record<string, unknown> }> {
  const chunks = body === undefined ? [] : [Buffer.from(JSON.stringify(body))];
  const request = Object.assign(Readable.from(chunks), {
    method,
    url: path,
    headers: { 'content-type': 'application/json', host: 'argus.example:8080' },
    socket: { remoteAddress: '127.0.0.1' },
  }) as unknown as IncomingMessage;
  setRequestAuth(request, {
    principal: { kind: 'anonymous' },
    projectId: 'default',
    role: 'admin',
    instanceAdmin: true,
  });
  const url = new URL(path, 'http://localhost');
  const match = router.match(method, url.pathname);
  if (!match || match === 'method') throw new Error(`no route ${method} ${path}`);
  try {
    return (await match.handler({ request, url, params: match.params })) as Reply & {
      body: Record<string, unknown>;
    };
  } catch (error) {
    return errorReply(error, logger) as Reply & { body: Record<string, unknown> };
  }
}

const messageOf = (reply: { body: Record<string, unknown> }) =>
  (reply.body.error as { message: string }).message;

/** A user who is an admin of `default` (and not an instance administrator). */
async function projectAdmin(username: string) {
  const user = await repos.users.create({
    username,
    displayName: username,
    passwordHash: 'x',
    isAdmin: false,
  });
  await repos.memberships.set(user.id, 'default', 'admin');
  return user;
}

describe('project administrators', () => {
  it('refuses to demote or remove the only admin of a project when there is no instance administrator', async () => {
    const only = await projectAdmin('solo');
    const demote = await call('PUT', `/api/v1/members/${only.id}`, { role: 'member' });
    expect(demote.status).toBe(409);
    expect(messageOf(demote)).toBe(
      "Cannot change the role of 'solo': they are the only admin of project 'default' and there is no instance administrator; make another member admin first",
    );
    expect((await call('DELETE', `/api/v1/members/${only.id}`)).status).toBe(409);

    // Why: with a second project admin the first may step down.
    const second = await projectAdmin('duo');
    expect((await call('PUT', `/api/v1/members/${only.id}`, { role: 'member' })).status).toBe(200);
    expect((await call('DELETE', `/api/v1/members/${second.id}`)).status).toBe(409);

    // Why: an instance administrator administers every project, so none is left unmanaged.
    await repos.users.create({ username: 'root', displayName: 'Root', passwordHash: 'x', isAdmin: true });
    expect((await call('DELETE', `/api/v1/members/${second.id}`)).status).toBe(200);
    expect((await repos.memberships.membersOf('default')).map((m) => [m.username, m.role])).toEqual([
      ['solo', 'member'],
    ]);
  });
});

describe('invitations', () => {
  it('answers an accept URL on the origin the request was sent to, with the token only in the fragment', async () => {
    const reply = await call('POST', '/api/v1/invites', { username: 'newcomer', role: 'viewer' });
    expect(reply.status).toBe(201);
    const token = String(reply.body.token);
    expect(token).toMatch(/^inv-/);
    expect(reply.body.acceptUrl).toBe(`http://argus.example:8080/accept-invite#token=${token}`);
    const entry = (await audit.list({ projects: 'all', action: 'invite.create', limit: 10 })).data[0];
    expect(entry).toMatchObject({ target: 'newcomer', details: { role: 'viewer' } });
    expect(JSON.stringify(entry)).not.toContain(token);
  });

  it.each([
    // Why: ingest is an API-key role; a person with it could sign in but see nothing.
    [{ username: 'ingester', role: 'ingest' }, "Invalid invitation field 'role'"],
    // Why: login names are restricted so they are safe in URLs, logs and the console.
    [{ username: 'bad name', role: 'viewer' }, "Invalid invitation field 'username'"],
  ])('refuses %j', async (body, message) => {
    const reply = await call('POST', '/api/v1/invites', body);
    expect(reply.status).toBe(400);
    expect(messageOf(reply)).toContain(message);
  });
});
