/**
 * Test clients for a server with authentication on: a signed-in console user (cookie + CSRF
 * token, like the browser) and API-key callers, both over real HTTP.
 */

/** A caller: sends requests with its credentials. */
export interface Caller {
  /** fetch() relative to the server URL with the caller's credentials (and JSON body helper). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Like call(), then parses JSON; throws on a non-2xx answer with the body in the message. */
  json<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T>;
}

function makeCaller(url: string, credentials: () => Record<string, string>): Caller {
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(url + path, {
      method,
      headers: {
        ...credentials(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    call,
    async json<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
      const response = await call(method, path, body, headers);
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as T;
    },
  };
}

/** A signed-in console user. */
export interface UserSession extends Caller {
  cookie: string;
  csrfToken: string;
}

/** Signs in through POST /api/v1/auth/login; throws when refused. */
export async function signIn(url: string, username: string, password: string): Promise<UserSession> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`sign-in → ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  const session: UserSession = {
    cookie,
    csrfToken: body.csrfToken,
    ...makeCaller(url, () => ({ cookie, 'x-argus-csrf': body.csrfToken })),
  };
  return session;
}

/** A caller presenting an API key as `Authorization: Bearer <secret>`. */
export function keyCaller(url: string, secret: string): Caller {
  return makeCaller(url, () => ({ authorization: `Bearer ${secret}` }));
}

/** Creates an API key in a project as `admin`; answers the public id and secret. */
export async function createKey(
  admin: Caller,
  project: string,
  role: 'ingest' | 'viewer' | 'member' | 'admin',
  extra: Record<string, unknown> = {},
): Promise<{ id: string; secretKey: string }> {
  return admin.json(
    'POST',
    '/api/v1/keys',
    { name: `${role} key`, role, ...extra },
    { 'x-argus-project': project },
  );
}
