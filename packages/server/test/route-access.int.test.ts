/**
 * Issue 11, finding 1: access was decided on the raw path by regexes while the router dropped
 * empty segments, so `/api/v1//admin/users` ran the admin handler under an ordinary route's
 * level and an absolute-form request line skipped credentials altogether. Now one canonical
 * path is computed before routing and access is the matched route's declared level.
 *
 * Every registered route (read from the running server, so a new route is covered the day it
 * is added) × every role × spellings of its path, through the real HTTP door: no request reaches
 * a handler its role is not allowed, and every spelling of a path meets the same rule. Every
 * answer also carries `X-Content-Type-Options: nosniff`.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../src/auth/policy.ts';
import type { RouteInfo } from '../src/http/router.ts';
import { type Caller, createKey, keyCaller, signIn, type UserSession } from './support/auth.ts';
import { type RawAnswer, rawRequest, rawRequestLine } from './support/raw-http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const ADMIN_PASSWORD = 'correct horse battery staple';
const MEMBER_PASSWORD = 'a member password for tests';
/** Keys of each project role, a console user who is a project member, and the instance administrator. */
const ROLES = ['anonymous', 'ingest', 'viewer', 'member', 'admin', 'memberUser', 'instance'] as const;
type Role = (typeof ROLES)[number];

/** The roles each declared level lets through (docs/security.md, "Authentication"). */
const ALLOWED: Record<Access, readonly Role[]> = {
  public: ROLES,
  optional: ROLES,
  session: ['ingest', 'viewer', 'member', 'admin', 'memberUser', 'instance'],
  ingest: ['ingest', 'member', 'admin', 'memberUser', 'instance'],
  read: ['viewer', 'member', 'admin', 'memberUser', 'instance'],
  write: ['member', 'admin', 'memberUser', 'instance'],
  admin: ['admin', 'instance'],
  instance: ['instance'],
};

let argus: TestServer;
let instanceAdmin: UserSession;
let memberUser: UserSession;
const secrets: Partial<Record<Role, string>> = {};
// A connection per request: a keep-alive socket the server closes mid-reuse would read as a failure.
const agent = new http.Agent({ keepAlive: false, maxSockets: 8 });
/** Sessions for the sign-out probes, made one after another (parallel sign-ins hit the login limit). */
const spareSessions: Record<'memberUser' | 'instance', UserSession[]> = { memberUser: [], instance: [] };

beforeAll(async () => {
  // Rate limits off here: the matrix sends thousands of requests per key (limits are tested below).
  argus = await startTestServer({
    auth: 'on',
    adminPassword: ADMIN_PASSWORD,
    rateLimitApi: 0,
    rateLimitIngest: 0,
  });
  instanceAdmin = await signIn(argus.url, 'admin', ADMIN_PASSWORD);
  for (const role of ['ingest', 'viewer', 'member', 'admin'] as const) {
    secrets[role] = (await createKey(instanceAdmin, 'default', role)).secretKey;
  }
  await instanceAdmin.json('POST', '/api/v1/admin/users', {
    username: 'member-user',
    password: MEMBER_PASSWORD,
    projects: [{ id: 'default', role: 'member' }],
  });
  memberUser = await signIn(argus.url, 'member-user', MEMBER_PASSWORD);
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await argus?.stop();
});

/** Headers that present a role's credentials. */
async function credentialsOf(role: Role, route: RouteInfo): Promise<Record<string, string>> {
  if (role === 'anonymous') return {};
  if (role !== 'instance' && role !== 'memberUser') return { authorization: `Bearer ${secrets[role]}` };
  // Signing out ends the session it is sent with: give that probe a session of its own.
  const own = role === 'instance' ? instanceAdmin : memberUser;
  const session = route.path === '/api/v1/auth/logout' ? spareSessions[role].pop() : own;
  if (!session) throw new Error('No spare session left for a sign-out probe');
  return { cookie: session.cookie, 'x-argus-csrf': session.csrfToken };
}

/** A concrete path for a registered one: params get a value that names nothing. */
function concretePath(route: RouteInfo): string {
  if (route.path === '/*') return '/some/client/page';
  return route.path.replace(/:[A-Za-z]+/g, 'x0');
}

type Kind = 'same' | 'other';
/**
 * Spellings of a path. `same`: canonicalised to the path itself, so the route's own rule must
 * apply. `other`: refused (dot segments, 400) or a different path (encoded slash, upper case)
 * that must not reach this route's handler.
 */
function variantsOf(path: string, base: string): Array<[name: string, kind: Kind, target: string]> {
  const segments = path.split('/').filter(Boolean);
  const lastSlash = path.lastIndexOf('/');
  const firstSlashAfter = path.indexOf('/', 1);
  const encoded = (code: string) =>
    firstSlashAfter > 0
      ? `${path.slice(0, firstSlashAfter)}${code}${path.slice(firstSlashAfter + 1)}`
      : `/${code}${path.slice(1)}`;
  return [
    ['canonical', 'same', path],
    ['leading //', 'same', `/${path}`],
    [
      'inner //',
      'same',
      segments.length > 1 ? `${path.slice(0, lastSlash)}/${path.slice(lastSlash)}` : `${path}//`,
    ],
    ['trailing /', 'same', `${path}/`],
    ['absolute-form', 'same', `${base}${path}`],
    ['absolute-form //', 'same', `${base}/${path}`],
    ['dot-dot segment', 'other', `/${segments[0]}/..${path}`],
    ['dot segment', 'other', `/${segments[0]}/.${path.slice(segments[0]!.length + 1)}`],
    ['encoded dot-dot', 'other', `/${segments[0]}/%2e%2E${path}`],
    ['encoded slash %2F', 'other', encoded('%2F')],
    ['encoded slash %2f', 'other', encoded('%2f')],
    ['upper case', 'other', path.toUpperCase()],
  ];
}

type Outcome = 'denied' | 'unauthenticated' | 'unrouted' | 'console' | 'handler';

/** Where an answer came from: the access check, routing, the console fallback, or a handler. */
function outcomeOf(answer: RawAnswer): Outcome {
  const error = (answer.json as { error?: { code?: string; message?: string } } | undefined)?.error;
  const message = error?.message ?? '';
  if (answer.status === 401 && message.startsWith('Authentication required')) return 'unauthenticated';
  if (answer.status === 403 && message.startsWith('Your role on project')) return 'denied';
  if (answer.status === 404 && message.endsWith('no such route')) return 'unrouted';
  if (answer.status === 405 && error?.code === 'METHOD_NOT_ALLOWED') return 'unrouted';
  if (answer.status === 400 && message.startsWith('Cannot route')) return 'unrouted';
  const type = String(answer.headers['content-type'] ?? '');
  // The console's page (200), its "not built yet" page (503) or a missing file of it (404).
  if (type.startsWith('text/html') || (answer.status === 404 && type.startsWith('text/plain')))
    return 'console';
  return 'handler';
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

describe('every route × every role × every spelling of its path', () => {
  it('lists the routes it checks, each with a declared level', () => {
    expect(argus.server.routes.length).toBeGreaterThan(80);
    for (const route of argus.server.routes) expect(Object.keys(ALLOWED)).toContain(route.access);
  });

  // The levels of the routes that matter most, declared at registration: a route registered
  // with a weaker level than intended is caught here, not only by its own tests.
  it.each([
    ['GET', '/health', 'public'],
    ['GET', '/api/v1/health', 'public'],
    ['GET', '/*', 'public'],
    ['POST', '/api/v1/auth/login', 'public'],
    ['GET', '/info', 'public'],
    ['GET', '/api/v1/auth/me', 'optional'],
    ['GET', '/api/v1/projects', 'session'],
    ['POST', '/v1/traces', 'ingest'],
    ['POST', '/api/public/otel/v1/traces', 'ingest'],
    ['POST', '/runs/multipart', 'ingest'],
    ['PATCH', '/api/v1/runs/:runId', 'ingest'],
    ['POST', '/api/v1/scores', 'ingest'],
    ['POST', '/feedback', 'ingest'],
    ['POST', '/api/v1/feedback', 'ingest'],
    ['GET', '/api/v1/traces', 'read'],
    ['GET', '/api/v1/spans', 'read'],
    ['GET', '/api/v1/export/spans', 'read'],
    ['GET', '/metrics', 'read'],
    ['POST', '/api/v1/alerts/rules', 'write'],
    ['PUT', '/api/v1/settings/redaction', 'admin'],
    ['PUT', '/api/v1/pricing/overrides', 'admin'],
    ['GET', '/api/v1/keys', 'admin'],
    ['POST', '/api/v1/keys', 'admin'],
    ['GET', '/api/v1/audit', 'admin'],
    ['GET', '/api/v1/members', 'admin'],
    ['POST', '/api/v1/erasures', 'admin'],
    ['PATCH', '/api/v1/projects/:projectId', 'admin'],
    ['POST', '/api/v1/projects', 'instance'],
    ['GET', '/api/v1/admin/users', 'instance'],
    ['POST', '/api/v1/admin/users', 'instance'],
  ])('%s %s is declared %s', (method, path, access) => {
    expect(argus.server.routes).toContainEqual({ method, path, access });
  });

  it('lets no request reach a handler its role is not allowed, under any spelling', async () => {
    const base = new URL(argus.url).origin;
    const probes: Array<{ route: RouteInfo; role: Role; name: string; kind: Kind; target: string }> = [];
    for (const route of argus.server.routes) {
      for (const [name, kind, target] of variantsOf(concretePath(route), base)) {
        for (const role of ROLES) probes.push({ route, role, name, kind, target });
      }
    }
    for (const probe of probes) {
      if (probe.route.path !== '/api/v1/auth/logout') continue;
      if (probe.role === 'instance')
        spareSessions.instance.push(await signIn(argus.url, 'admin', ADMIN_PASSWORD));
      if (probe.role === 'memberUser')
        spareSessions.memberUser.push(await signIn(argus.url, 'member-user', MEMBER_PASSWORD));
    }
    const wrong: string[] = [];
    await pool(probes, 8, async ({ route, role, name, kind, target }) => {
      const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
      const answer = await rawRequest(argus.url, {
        method: route.method,
        target,
        agent,
        headers: {
          ...(await credentialsOf(role, route)),
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
        },
        body: hasBody ? '{}' : undefined,
      }).catch((error: Error) => {
        throw new Error(`${role} ${route.method} ${target}: ${error.message}`);
      });
      const outcome = outcomeOf(answer);
      const allowed = ALLOWED[route.access].includes(role);
      // The console page is the fallback route's own handler.
      const reached = outcome === 'handler' || (route.path === '/*' && outcome === 'console');
      let ok: boolean;
      if (kind === 'same' && allowed) ok = reached;
      else if (kind === 'same') ok = outcome === (role === 'anonymous' ? 'unauthenticated' : 'denied');
      // Another path: refused, unrouted or the public console page, never this route's handler.
      else ok = outcome === 'unrouted' || outcome === 'console';
      // Every answer, handler's or door's, JSON or page or stream, forbids type sniffing.
      if (answer.headers['x-content-type-options'] !== 'nosniff') ok = false;
      if (!ok) {
        wrong.push(
          `${role} ${route.method} ${target} (${name}, ${route.access}) → ${answer.status} ${outcome} ${answer.body.slice(0, 120)}`,
        );
      }
    });
    expect(probes.length).toBeGreaterThan(80 * 12 * ROLES.length);
    expect(wrong).toEqual([]);
  }, 300_000);

  it('answers 404 to everyone for a path no route has (the console fallback aside)', async () => {
    for (const role of ROLES) {
      const headers = await credentialsOf(role, { method: 'POST', path: '/nowhere', access: 'public' });
      for (const [method, target] of [
        ['POST', '/api/v1/nowhere'],
        ['DELETE', '/v1/traces/x'],
        ['GET', '/api/v1/admin/nowhere'],
        ['PUT', '//api/v1//nowhere/'],
      ] as const) {
        const answer = await rawRequest(argus.url, { method, target, headers, agent });
        expect(answer.status, `${role} ${method} ${target}`).toBe(404);
        expect(outcomeOf(answer)).toBe('unrouted');
      }
    }
  });
});

describe('regressions of issue 11 finding 1', () => {
  let member: Caller;
  let memberSecret: string;
  beforeAll(() => {
    memberSecret = secrets.member!;
    member = keyCaller(argus.url, memberSecret);
  });

  it('member cannot create an instance administrator via //admin/users', async () => {
    const response = await member.call('POST', '/api/v1//admin/users', {
      username: 'evil',
      password: 'a long enough password 1',
      isAdmin: true,
    });
    // fetch() would keep the `//`; the server must still check the admin route's level.
    expect(response.status).toBe(403);
    const users = await instanceAdmin.json<{ data: Array<{ username: string }> }>(
      'GET',
      '/api/v1/admin/users',
    );
    expect(users.data.map((u) => u.username)).not.toContain('evil');
    const login = await fetch(`${argus.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'evil', password: 'a long enough password 1' }),
    });
    expect(login.status).toBe(401);
  });

  it('member cannot create an admin key via //keys', async () => {
    const before = await instanceAdmin.json<{ data: unknown[] }>('GET', '/api/v1/keys');
    for (const target of [
      '/api/v1//keys',
      '//api/v1/keys',
      '/api/v1/keys/',
      `${new URL(argus.url).origin}//api/v1/keys`,
    ]) {
      const answer = await rawRequest(argus.url, {
        method: 'POST',
        target,
        headers: { authorization: `Bearer ${memberSecret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'escalated', role: 'admin' }),
      });
      expect(answer.status, target).toBe(403);
    }
    const after = await instanceAdmin.json<{ data: unknown[] }>('GET', '/api/v1/keys');
    expect(after.data.length).toBe(before.data.length);
  });

  it('an absolute-form request line without credentials does not list users', async () => {
    const { port } = new URL(argus.url);
    for (const target of [
      `http://127.0.0.1:${port}//api/v1/admin/users`,
      `http://127.0.0.1:${port}/api/v1/admin/users`,
      `http://elsewhere.example//api/v1/admin/users`,
    ]) {
      const answer = await rawRequestLine(argus.url, [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`]);
      expect(answer.status, target).toBe(401);
      expect(answer.text).not.toContain('"username"');
    }
  });

  it('an ingest key cannot read traces, spans, exports, keys or the audit log by any spelling', async () => {
    const base = new URL(argus.url).origin;
    for (const path of [
      '/api/v1/traces',
      '/api/v1/spans',
      '/api/v1/export/spans',
      '/api/v1/keys',
      '/api/v1/audit',
    ]) {
      for (const target of [path, `/${path}`, `${base}/${path}`, `${base}${path}/`]) {
        const answer = await rawRequest(argus.url, {
          method: 'GET',
          target,
          headers: { authorization: `Bearer ${secrets.ingest}` },
        });
        expect(answer.status, target).toBe(403);
      }
    }
  });

  it('applies a key rate limit whatever the spelling of the path', async () => {
    const limited = await createKey(instanceAdmin, 'default', 'viewer', { rateLimits: { api: 1 } });
    const base = new URL(argus.url).origin;
    const statuses: number[] = [];
    for (const target of [
      `${base}//api/v1/traces`,
      '//api/v1/traces',
      '/api/v1//traces/',
      `${base}/api/v1/traces`,
      '/api/v1/traces',
    ]) {
      const answer = await rawRequest(argus.url, {
        method: 'GET',
        target,
        headers: { authorization: `Bearer ${limited.secretKey}` },
      });
      statuses.push(answer.status);
    }
    // Bursts of twice the rate: two pass, then 429 (before the fix absolute-form skipped limits).
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.slice(2)).toEqual([429, 429, 429]);
  });

  it('still serves a legitimate request spelled with extra slashes', async () => {
    const admin = keyCaller(argus.url, secrets.admin!);
    expect((await admin.call('GET', '/api/v1//keys/')).status).toBe(200);
    expect((await member.call('POST', '//v1/traces', { resourceSpans: [] })).status).toBe(200);
  });
});
