/**
 * A real OpenID provider on loopback for the single sign-on tests — `oidc-provider`, panva's
 * certified OP — with one confidential client, in-memory accounts and its development login
 * and consent pages, plus a browser stand-in that walks the redirects with a cookie jar. The
 * provider can also swap the ID token of its token responses, to show what Argus refuses.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** Claims of a test account (its login name is its subject). */
export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

/** A running provider. */
export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Login name (= subject) → claims; add accounts at will. */
  accounts: Map<string, TestAccount>;
  /** When set, replaces the `id_token` of token responses. */
  tamper: ((idToken: string) => string) | undefined;
  /** Signs a JWT with the provider's own key (as its real tokens are). */
  sign(payload: Record<string, unknown>): string;
  /** Signs a JWT with a key the provider does not publish, under the provider's key id. */
  signForeign(payload: Record<string, unknown>): string;
  stop(): Promise<void>;
}

const KID = 'test-key-1';

function signJwt(key: KeyObject, payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid: KID })}.${part(payload)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

/** The payload of a JWT (not verified). */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** Starts a provider on 127.0.0.1 that knows Argus's `redirectUri`. */
export async function startTestProvider(options: { redirectUri: string }): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const own = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const accounts = new Map<string, TestAccount>();
  const clientId = 'argus';
  const clientSecret = 'argus-test-client-secret-0123456789';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...own.privateKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
    async findAccount(_ctx, id) {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...claims }) };
    },
  });
  const state: { tamper: TestProvider['tamper'] } = { tamper: undefined };
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && state.tamper && typeof body?.id_token === 'string') {
      ctx.body = { ...body, id_token: state.tamper(body.id_token) };
    }
  });
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    get tamper() {
      return state.tamper;
    },
    set tamper(value) {
      state.tamper = value;
    },
    sign: (payload) => signJwt(own.privateKey, payload),
    signForeign: (payload) => signJwt(foreign.privateKey, payload),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies per origin and path, as a browser keeps them (enough for these flows). */
export class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  /** Stores the Set-Cookie headers of a response from `url`. */
  store(url: string, response: Response): void {
    const { origin } = new URL(url);
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (key: string) =>
        attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attr('path') ?? '/';
      const key = `${origin} ${path} ${name}`;
      const expires = attr('expires');
      if (attr('max-age') === '0' || (expires && Date.parse(expires) <= Date.now()))
        this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }

  /** The Cookie header for a request to `url`. */
  header(url: string): string {
    const { origin, pathname } = new URL(url);
    return [...this.#cookies.entries()]
      .filter(([key, c]) => key.startsWith(`${origin} `) && pathname.startsWith(c.path))
      .map(([, c]) => `${c.name}=${c.value}`)
      .join('; ');
  }

  /** A cookie's value for an origin, if set. */
  get(origin: string, name: string): string | undefined {
    for (const [key, c] of this.#cookies) if (key.startsWith(`${origin} `) && c.name === name) return c.value;
    return undefined;
  }

  /** Forgets one cookie (a browser that never had it). */
  delete(origin: string, name: string): void {
    for (const [key, c] of this.#cookies)
      if (key.startsWith(`${origin} `) && c.name === name) this.#cookies.delete(key);
  }
}

/** One request as a browser sends it: cookies from the jar, redirects not followed. */
export async function browse(jar: CookieJar, url: string, form?: Record<string, string>): Promise<Response> {
  const cookie = jar.header(url);
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  jar.store(url, response);
  return response;
}

/**
 * Walks from Argus's sign-in start through the provider's login and consent pages as `login`,
 * and stops at the redirect back to Argus: answers the callback URL (not yet visited).
 */
export async function authorizeAt(
  jar: CookieJar,
  startUrl: string,
  provider: TestProvider,
  login: string,
): Promise<string> {
  let url = startUrl;
  for (let step = 0; step < 12; step++) {
    const response = await browse(jar, url);
    if (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('location') ?? '', url).href;
      await response.body?.cancel();
      if (!next.startsWith(provider.issuer) && step > 0) return next;
      url = next;
      continue;
    }
    const page = await response.text();
    if (response.status !== 200) throw new Error(`${url} → ${response.status} ${page.slice(0, 500)}`);
    // The provider's development pages: a login form, then a consent form (both POST back here).
    const prompt = page.includes('name="prompt" value="login"') ? 'login' : 'consent';
    const submitted = await browse(
      jar,
      url,
      prompt === 'login' ? { prompt, login, password: 'any' } : { prompt: 'consent' },
    );
    await submitted.body?.cancel();
    if (submitted.status < 300 || submitted.status >= 400) throw new Error(`${prompt} → ${submitted.status}`);
    url = new URL(submitted.headers.get('location') ?? '', url).href;
  }
  throw new Error('the sign-in did not come back to Argus within 12 steps');
}
