/**
 * A console user as the browser is one: a cookie jar holding the session cookie and the CSRF
 * token from sign-in, sent back the way the console sends them.
 */

/** An HTTP answer with its parsed JSON body (or text). */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A signed-in (or not yet signed-in) console session against one server. */
export class Browser {
  readonly base: string;
  /** The `argus_session` cookie value; '' when none. */
  cookie = '';
  csrf = '';
  /** Project sent as x-argus-project; undefined = the default choice. */
  project: string | undefined;

  constructor(base: string, project?: string) {
    this.base = base;
    this.project = project;
  }

  /** Sends a request with the cookie, the CSRF header and the project, keeping any new cookie. */
  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = `argus_session=${this.cookie}`;
    if (this.csrf && options.csrf !== false) headers['x-argus-csrf'] = this.csrf;
    if (this.project) headers['x-argus-project'] = this.project;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    const match = setCookie ? /argus_session=([^;]*)/.exec(setCookie) : null;
    if (match) this.cookie = /Max-Age=0\b/.test(setCookie!) ? '' : match[1]!;
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // not JSON (NDJSON, HTML)
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** Signs in; resolves to the answer (status 200 on success, cookie and CSRF token kept). */
  async login(username: string, password: string): Promise<Answer> {
    const answer = await this.request('POST', '/api/v1/auth/login', { username, password });
    if (answer.status === 200) this.csrf = String(answer.body.csrfToken);
    return answer;
  }

  /** Accepts an invitation, which signs the new user in. */
  async acceptInvite(token: string, password: string, displayName?: string): Promise<Answer> {
    const answer = await this.request('POST', '/api/v1/auth/invites/accept', {
      token,
      password,
      displayName,
    });
    if (answer.status === 200) this.csrf = String(answer.body.csrfToken);
    return answer;
  }
}
