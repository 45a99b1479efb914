/**
 * Single sign-on against a real OpenID provider on loopback (oidc-provider, panva's certified
 * OP), driven like a browser: plain fetch, a cookie jar, redirects followed by hand through the
 * provider's login and consent pages. One Argus server (chDB allows one per process) is set up
 * with every SSO option: allowed domains, admin e-mails and a default role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type UserSession } from './support/auth.ts';
import {
  authorizeAt,
  browse,
  CookieJar,
  jwtPayload,
  startTestProvider,
  type TestProvider,
} from './support/oidc-provider.ts';
import { freePort } from './support/process.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const ADMIN_PASSWORD = 'oidc-admin-password-123';
let server: TestServer;
let provider: TestProvider;
let admin: UserSession;
let argus: string;

beforeAll(async () => {
  // The redirect URI is registered with the provider before Argus starts, so Argus gets a port
  // chosen up front and says its public URL.
  const port = await freePort();
  argus = `http://127.0.0.1:${port}`;
  provider = await startTestProvider({ redirectUri: `${argus}/api/v1/auth/oidc/callback` });
  provider.accounts.set('alice', { email: 'alice@example.com', email_verified: true, name: 'Alice A' });
  provider.accounts.set('boss', { email: 'Boss@Example.com', email_verified: true });
  provider.accounts.set('eve', { email: 'eve@elsewhere.test', email_verified: true });
  provider.accounts.set('dave', { email: 'dave@example.com', email_verified: false });
  provider.accounts.set('nomail', { name: 'No Mail' });
  provider.accounts.set('carol', { email: 'carol@corp.example', email_verified: true });
  provider.accounts.set('carol-again', { email: 'carol@corp.example', email_verified: true });
  server = await startTestServer({
    port,
    auth: 'on',
    adminPassword: ADMIN_PASSWORD,
    publicUrl: argus,
    oidcIssuer: provider.issuer,
    oidcClientId: provider.clientId,
    oidcClientSecret: provider.clientSecret,
    oidcName: 'Test IdP',
    oidcDefaultRole: 'viewer',
    oidcAllowedDomains: 'example.com, corp.example',
    oidcAdminEmails: 'boss@example.com',
  });
  admin = await signIn(server.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await server?.stop();
  await provider?.stop();
});

/** Signs in through the provider as `login`; answers the callback's response and the jar. */
async function ssoSignIn(
  login: string,
  returnTo = '/traces',
): Promise<{ response: Response; jar: CookieJar; location: string }> {
  const jar = new CookieJar();
  const start = `${argus}/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`;
  const callback = await authorizeAt(jar, start, provider, login);
  const response = await browse(jar, callback);
  return { response, jar, location: response.headers.get('location') ?? '' };
}

async function me(jar: CookieJar): Promise<Response> {
  return fetch(`${argus}/api/v1/auth/me`, { headers: { cookie: jar.header(`${argus}/api/v1/auth/me`) } });
}

/** True when the jar holds a live session (signed out answers 200 with principal null). */
async function signedIn(jar: CookieJar): Promise<boolean> {
  const response = await me(jar);
  if (response.status !== 200) return false;
  return ((await response.json()) as { principal: unknown }).principal !== null;
}

/** The newest `auth.login` audit entries (instance-wide). */
async function logins(): Promise<
  { actor: { name: string }; target: string; outcome: string; details: Record<string, unknown> }[]
> {
  const page = await admin.json<{ data: never[] }>(
    'GET',
    '/api/v1/audit?scope=all&action=auth.login&limit=20',
  );
  return page.data;
}

describe('OIDC single sign-on', () => {
  it('tells the console that SSO is on, and under which name', async () => {
    const config = (await (await fetch(`${argus}/api/v1/auth/config`)).json()) as { sso: unknown };
    expect(config.sso).toEqual({ enabled: true, name: 'Test IdP' });
  });

  it('signs a new user in end to end: provider login, session cookie, default role, audit', async () => {
    const { response, jar, location } = await ssoSignIn('alice', '/traces?model=gpt-4o');
    expect(response.status).toBe(302);
    expect(location).toBe('/traces?model=gpt-4o');
    const cookies = response.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('argus_session='))).toMatch(/HttpOnly; SameSite=Strict/);
    // The one-use sign-in cookie is removed.
    expect(cookies.find((c) => c.startsWith('argus_oidc='))).toMatch(/^argus_oidc=;.*Max-Age=0/);

    const who = await me(jar);
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({
      principal: { kind: 'user', username: 'alice@example.com', isAdmin: false },
      projects: [{ id: 'default', role: 'viewer' }],
    });
    const users = await admin.json<{ data: { username: string; displayName: string }[] }>(
      'GET',
      '/api/v1/admin/users',
    );
    expect(users.data.find((u) => u.username === 'alice@example.com')?.displayName).toBe('Alice A');
    const [latest] = await logins();
    expect(latest).toMatchObject({
      target: 'alice@example.com',
      outcome: 'success',
      details: { method: 'oidc', issuer: provider.issuer, account: 'created' },
    });
    const created = await admin.json<{
      data: { actor: { type: string }; details: Record<string, unknown> }[];
    }>('GET', '/api/v1/audit?scope=all&action=user.create&limit=1');
    expect(created.data[0]).toMatchObject({
      actor: { type: 'system' },
      details: { isAdmin: false, projects: [{ id: 'default', role: 'viewer' }] },
    });
  });

  it('signs the same provider account in as the same user the next time', async () => {
    const before = (await admin.json<{ data: unknown[] }>('GET', '/api/v1/admin/users')).data.length;
    const { location, jar } = await ssoSignIn('alice', '/');
    expect(location).toBe('/');
    expect(await (await me(jar)).json()).toMatchObject({ principal: { username: 'alice@example.com' } });
    expect((await admin.json<{ data: unknown[] }>('GET', '/api/v1/admin/users')).data.length).toBe(before);
    expect((await logins())[0]?.details).toMatchObject({ method: 'oidc', account: 'returning' });
  });

  it('makes a listed admin e-mail an instance administrator (compared case-insensitively)', async () => {
    const { jar } = await ssoSignIn('boss');
    const body = await (await me(jar)).json();
    expect(body).toMatchObject({
      principal: { username: 'boss@example.com', isAdmin: true },
      instanceAdmin: true,
    });
  });

  // Why each: the ways a callback that did not come from this browser's own sign-in shows up.
  it.each([
    ['a state from another sign-in', (url: URL) => url.searchParams.set('state', 'forged-state-value')],
    ['no state at all', (url: URL) => url.searchParams.delete('state')],
  ])('refuses a callback with %s', async (_why, change) => {
    const jar = new CookieJar();
    const callback = new URL(await authorizeAt(jar, `${argus}/api/v1/auth/oidc/start`, provider, 'alice'));
    change(callback);
    const response = await browse(jar, callback.href);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/sign-in?error=sso_state');
    expect(await signedIn(jar)).toBe(false);
    expect((await logins())[0]).toMatchObject({ outcome: 'failure', details: { method: 'oidc' } });
  });

  it('refuses a callback replayed in a browser that did not start the sign-in (login CSRF)', async () => {
    const jar = new CookieJar();
    const callback = await authorizeAt(jar, `${argus}/api/v1/auth/oidc/start`, provider, 'alice');
    const other = new CookieJar();
    const response = await browse(other, callback);
    expect(response.headers.get('location')).toBe('/sign-in?error=sso_state');
    expect((await logins())[0]?.details.reason).toContain('no sign-in in progress');
  });

  // Why each: one check of ID-token validation (signature via JWKS, issuer, audience, nonce,
  // expiry), each broken alone in a token the provider's token endpoint hands out.
  it.each([
    ['signed by a key the provider does not publish', (t: string) => provider.signForeign(jwtPayload(t))],
    [
      'with its payload changed after signing',
      (t: string) => {
        const [h, , s] = t.split('.');
        const forged = { ...jwtPayload(t), email: 'boss@example.com', email_verified: true };
        const p = Buffer.from(JSON.stringify(forged)).toString('base64url');
        return `${h}.${p}.${s}`;
      },
    ],
    ['for another audience', (t: string) => provider.sign({ ...jwtPayload(t), aud: 'someone-else' })],
    ['from another issuer', (t: string) => provider.sign({ ...jwtPayload(t), iss: 'https://evil.example' })],
    ['with another nonce', (t: string) => provider.sign({ ...jwtPayload(t), nonce: 'not-the-nonce' })],
    [
      'that has expired',
      (t: string) => {
        const now = Math.floor(Date.now() / 1000);
        return provider.sign({ ...jwtPayload(t), iat: now - 7200, exp: now - 3600 });
      },
    ],
  ])('refuses an ID token %s', async (_why, tamper) => {
    provider.tamper = tamper;
    try {
      const { response, jar } = await ssoSignIn('alice');
      expect(response.headers.get('location')).toBe('/sign-in?error=sso_invalid');
      expect(response.headers.getSetCookie().some((c) => c.startsWith('argus_session='))).toBe(false);
      expect(await signedIn(jar)).toBe(false);
    } finally {
      provider.tamper = undefined;
    }
    const [latest] = await logins();
    expect(latest).toMatchObject({ outcome: 'failure', details: { method: 'oidc' } });
    expect(String(latest?.details.reason)).toContain('invalid');
  });

  // Why each: the allowed-domain rule needs a verified address of a listed domain.
  it.each([
    ['eve', 'sso_domain', "e-mail domain 'elsewhere.test' is not allowed"],
    ['dave', 'sso_email', 'not verified'],
    ['nomail', 'sso_email', 'no e-mail address'],
  ])('refuses %s (%s)', async (login, code, reason) => {
    const { location, jar } = await ssoSignIn(login);
    expect(location).toBe(`/sign-in?error=${code}`);
    expect(await signedIn(jar)).toBe(false);
    const [latest] = await logins();
    expect(latest).toMatchObject({ outcome: 'failure', details: { method: 'oidc' } });
    expect(String(latest?.details.reason)).toContain(reason);
  });

  // Why each: only a path of this server is a place to return to; the rest would be an open redirect.
  it.each(['https://evil.example/phish', '//evil.example/phish', '/\\evil.example', 'javascript:alert(1)'])(
    'lands on / when returnTo is %s',
    async (returnTo) => {
      const { location } = await ssoSignIn('alice', returnTo);
      expect(location).toBe('/');
    },
  );

  it('links an existing user whose username is the verified e-mail, once', async () => {
    const created = await admin.json<{ user: { id: string } }>('POST', '/api/v1/admin/users', {
      username: 'carol@corp.example',
      password: 'carol-password-long',
    });
    const { jar, location } = await ssoSignIn('carol');
    expect(location).toBe('/traces');
    expect(await (await me(jar)).json()).toMatchObject({
      principal: { id: created.user.id, username: 'carol@corp.example' },
    });
    expect((await logins())[0]?.details).toMatchObject({ account: 'linked' });
    const link = await admin.json<{ data: { target: string }[] }>(
      'GET',
      '/api/v1/audit?scope=all&action=user.link&limit=1',
    );
    expect(link.data[0]?.target).toBe('carol@corp.example');
    // A second provider account with the same address does not take the user over.
    const again = await ssoSignIn('carol-again');
    expect(again.location).toBe('/sign-in?error=sso_conflict');
    expect(String((await logins())[0]?.details.reason)).toContain('already linked');
  });

  it('answers sso_unavailable when the provider cannot be reached', async () => {
    const jar = new CookieJar();
    const callback = await authorizeAt(jar, `${argus}/api/v1/auth/oidc/start`, provider, 'alice');
    await provider.stop();
    const response = await browse(jar, callback);
    expect(response.headers.get('location')).toBe('/sign-in?error=sso_unavailable');
  });
});
