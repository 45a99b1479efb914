/**
 * Authentication and authorization of every request: credentials → principal → project → role
 * check → rate limit. API keys arrive as `Authorization: Bearer <secret>`, `x-api-key: <secret>`
 * or Basic `public:secret` (Langfuse SDKs); console users carry a session cookie and, for unsafe
 * methods, the session's CSRF token in `x-argus-csrf`. With authentication off (open mode,
 * loopback only) a request without credentials acts as an instance administrator.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Config } from '../config.ts';
import { ArgusError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Principal, RequestAuth, Role } from './context.ts';
import { type Credentials, cookieOf, credentialsOf } from './credentials.ts';
import type { ApiKeyRecord } from './key-repository.ts';
import { type Access, roleAllows, roleNeeded } from './policy.ts';
import { RateLimiter } from './rate-limit.ts';
import type { AuthRepositories } from './repositories.ts';
import { generatePassword, hashPassword, safeEqual, sha256, verifyPassword } from './secrets.ts';
import type { SessionRecord } from './session-repository.ts';
import type { UserRecord } from './user-repository.ts';

export const SESSION_COOKIE = 'argus_session';
export const CSRF_HEADER = 'x-argus-csrf';
export const PROJECT_HEADER = 'x-argus-project';

/** Failed sign-ins: 5 per login name and 30 per address, refilled over 15 minutes. */
const LOGIN_PER_USER = { burst: 5, rate: 5 / 900 };
const LOGIN_PER_IP = { burst: 30, rate: 30 / 900 };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The authentication service. */
export class AuthService {
  readonly repos: AuthRepositories;
  readonly audit: AuditLog;
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #ingestLimiter = new RateLimiter();
  readonly #apiLimiter = new RateLimiter();
  readonly #loginLimiter = new RateLimiter();
  /** Key id → last time last_used_at was written (written at most once a minute). */
  readonly #touched = new Map<string, number>();

  constructor(options: { repos: AuthRepositories; audit: AuditLog; config: Config; logger: Logger }) {
    this.repos = options.repos;
    this.audit = options.audit;
    this.#config = options.config;
    this.#logger = options.logger;
  }

  /** `on` when credentials are required. */
  get mode(): 'on' | 'off' {
    return this.#config.authMode;
  }

  /**
   * First start with authentication on and no users: creates the administrator, with the
   * configured password or a generated one (returned so the start-up banner prints it once).
   */
  async bootstrap(): Promise<{ username: string; password?: string } | undefined> {
    if (this.mode !== 'on' || (await this.repos.users.count()) > 0) return undefined;
    const username = this.#config.adminUsername;
    const generated = this.#config.adminPassword ? undefined : generatePassword();
    const user = await this.repos.users.create({
      username,
      displayName: 'Administrator',
      passwordHash: await hashPassword(this.#config.adminPassword ?? generated!),
      isAdmin: true,
    });
    await this.audit.record({
      actor: { type: 'system', id: 'bootstrap', name: 'first start' },
      projectId: '',
      action: 'user.create',
      target: user.username,
      details: { isAdmin: true, passwordFrom: generated ? 'generated' : 'ARGUS_ADMIN_PASSWORD' },
    });
    return { username, password: generated };
  }

  /** The client address: the socket's, or X-Forwarded-For's first entry behind a trusted proxy. */
  ipOf(request: IncomingMessage): string {
    if (this.#config.trustProxy) {
      const forwarded = request.headers['x-forwarded-for'];
      const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
      if (first) return first;
    }
    return request.socket.remoteAddress ?? '';
  }

  /** True when the request reached us (or the trusted proxy) over HTTPS: cookies get `Secure`. */
  isHttps(request: IncomingMessage): boolean {
    if ((request.socket as { encrypted?: boolean }).encrypted) return true;
    return this.#config.trustProxy && String(request.headers['x-forwarded-proto'] ?? '').startsWith('https');
  }

  /**
   * Authenticates and authorizes a request for an access level.
   * @returns the request's auth, or undefined for a public route called without credentials.
   * @throws ArgusError UNAUTHORIZED (401), FORBIDDEN (403), NOT_FOUND (unknown project) or RATE_LIMITED (429).
   */
  async authenticate(request: IncomingMessage, url: URL, access: Access): Promise<RequestAuth | undefined> {
    const credentials = this.#credentials(request.headers);
    const requested = requestedProject(request, url);
    let principal = credentials ? await this.#keyPrincipal(credentials) : undefined;
    principal ??= await this.#sessionPrincipal(request, access);
    if (!principal) {
      if (access === 'public' || (access === 'optional' && this.mode === 'on')) return undefined;
      if (this.mode === 'off') principal = { kind: 'anonymous' };
      else
        throw new ArgusError(
          'UNAUTHORIZED',
          'Authentication required: send an API key (Authorization: Bearer <secret key>, x-api-key, or Basic public:secret) or sign in to the console',
        );
    }
    const auth = await this.#authorize(principal, requested, access, `${request.method} ${url.pathname}`);
    if (access !== 'public') this.#limit(principal, access);
    return { ...auth, ip: this.ipOf(request) };
  }

  /** Authenticates gRPC metadata for ingest; answers the project. */
  async authenticateIngestHeaders(headers: IncomingHttpHeaders): Promise<string> {
    const credentials = this.#credentials(headers);
    let principal: Principal | undefined = credentials ? await this.#keyPrincipal(credentials) : undefined;
    if (!principal) {
      if (this.mode !== 'off') {
        throw new ArgusError(
          'UNAUTHORIZED',
          'Authentication required: send an API key in the authorization (Bearer) or x-api-key metadata',
        );
      }
      principal = { kind: 'anonymous' };
    }
    const project = headers[PROJECT_HEADER];
    const auth = await this.#authorize(
      principal,
      typeof project === 'string' ? project : undefined,
      'ingest',
    );
    this.#limit(principal, 'ingest');
    return auth.projectId;
  }

  /**
   * The request's key credentials. In open mode a malformed header is ignored like an unknown key
   * (below): SDKs such as Langfuse's and LangSmith's insist on sending some key.
   */
  #credentials(headers: IncomingHttpHeaders): Credentials {
    try {
      return credentialsOf(headers);
    } catch (error) {
      if (this.mode === 'off') return undefined;
      throw error;
    }
  }

  /**
   * The principal of a key. An unknown, revoked or mismatched key is refused (401) when
   * authentication is on; in open mode it is ignored and the request runs as anonymous — a key
   * Argus knows still selects its project there.
   */
  async #keyPrincipal(credentials: NonNullable<Credentials>): Promise<Principal | undefined> {
    const key = await this.repos.keys.findBySecretHash(sha256(credentials.secret));
    if (!key || (credentials.publicKey !== undefined && !safeEqual(credentials.publicKey, key.id))) {
      if (this.mode === 'off') return undefined;
      throw new ArgusError(
        'UNAUTHORIZED',
        'Invalid API key: it is unknown, revoked or does not match its public key',
      );
    }
    this.#touch(key);
    return {
      kind: 'key',
      id: key.id,
      name: key.name,
      projectId: key.projectId,
      role: key.role,
      rateLimits: key.rateLimits,
    };
  }

  #touch(key: ApiKeyRecord): void {
    const now = Date.now();
    if (now - (this.#touched.get(key.id) ?? 0) < 60_000) return;
    this.#touched.set(key.id, now);
    if (this.#touched.size > 100_000) this.#touched.clear();
    this.repos.keys.touch(key.id).catch((error: unknown) => {
      this.#logger.warn('auth: cannot record key use', { error: String(error) });
    });
  }

  /** The user of a valid session cookie, after the CSRF check for unsafe methods. */
  async #sessionPrincipal(request: IncomingMessage, access: Access): Promise<Principal | undefined> {
    // A public route (sign-in, accepting an invite, the console's files) ignores the session
    // rather than failing its CSRF check or costing a lookup: it acts on no one's behalf.
    if (access === 'public') return undefined;
    const token = cookieOf(request.headers, SESSION_COOKIE);
    if (!token) return undefined;
    const found = await this.sessionOf(token);
    if (!found) {
      if (this.mode === 'off') return undefined;
      throw new ArgusError('UNAUTHORIZED', 'Your session has expired or ended; sign in again');
    }
    const { session, user } = found;
    if (!SAFE_METHODS.has(request.method ?? 'GET')) {
      const origin = request.headers.origin;
      if (typeof origin === 'string' && origin !== 'null' && !this.#sameOrigin(origin, request)) {
        throw new ArgusError('FORBIDDEN', `Cross-site request refused: Origin ${origin} is not this server`);
      }
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
        throw new ArgusError(
          'FORBIDDEN',
          `CSRF check failed: a signed-in request that changes something must send the session's token in the ${CSRF_HEADER} header`,
        );
      }
    }
    return {
      kind: 'user',
      id: user.id,
      username: user.username,
      isAdmin: user.isAdmin,
      roles: await this.repos.memberships.rolesOf(user.id),
      csrfToken: session.csrfToken,
    };
  }

  #sameOrigin(origin: string, request: IncomingMessage): boolean {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false;
    }
    const forwarded = this.#config.trustProxy ? request.headers['x-forwarded-host'] : undefined;
    return host === (typeof forwarded === 'string' ? forwarded : request.headers.host);
  }

  /** A live session and its user; ends sessions past their absolute or idle limit. */
  async sessionOf(token: string): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
    if (token.length > 100) return undefined;
    const session = await this.repos.sessions.find(token);
    if (!session) return undefined;
    const now = Date.now();
    const idleMs = this.#config.sessionIdleSeconds * 1000;
    if (now >= session.expiresAt || now - session.lastSeenAt >= idleMs) {
      await this.repos.sessions.delete(session.idHash);
      return undefined;
    }
    const user = await this.repos.users.get(session.userId);
    if (!user) return undefined;
    // Idle time is tracked to a quarter of the idle limit (at most a minute), not every request.
    if (now - session.lastSeenAt >= Math.min(60_000, idleMs / 4)) {
      session.lastSeenAt = now;
      await this.repos.sessions.touch(session.idHash, now);
    }
    return { session, user };
  }

  async #authorize(
    principal: Principal,
    requested: string | undefined,
    access: Access,
    /** `METHOD /canonical/path`, named in a refusal. */
    what?: string,
  ): Promise<RequestAuth> {
    if (principal.kind === 'key') {
      if (requested !== undefined && requested !== principal.projectId) {
        throw new ArgusError(
          'FORBIDDEN',
          `This API key belongs to project '${principal.projectId}'; it cannot act on project '${requested}'`,
        );
      }
      if (access === 'instance' || !roleAllows(principal.role, access)) {
        throw forbidden(principal.role, principal.projectId, access, what);
      }
      return { principal, projectId: principal.projectId, role: principal.role, instanceAdmin: false };
    }
    const instanceAdmin = principal.kind === 'anonymous' || principal.isAdmin;
    let projectId = requested;
    if (projectId === undefined) {
      projectId =
        principal.kind === 'user' && !instanceAdmin && !principal.roles.has('default')
          ? ([...principal.roles.keys()].sort()[0] ?? 'default')
          : 'default';
    }
    const role: Role | undefined = instanceAdmin
      ? 'admin'
      : principal.kind === 'user'
        ? principal.roles.get(projectId)
        : undefined;
    // Public and session routes need no project role (a user may belong to no project yet).
    if (access === 'session' || access === 'optional' || access === 'public')
      return { principal, projectId, role: role ?? 'viewer', instanceAdmin };
    if (role === undefined) {
      throw new ArgusError('FORBIDDEN', `You are not a member of project '${projectId}'`);
    }
    if (access === 'instance' ? !instanceAdmin : !roleAllows(role, access)) {
      throw forbidden(role, projectId, access, what);
    }
    if (requested !== undefined && instanceAdmin && !(await this.repos.projects.exists(projectId))) {
      throw new ArgusError('NOT_FOUND', `Cannot find project '${projectId}'`);
    }
    return { principal, projectId, role, instanceAdmin };
  }

  #limit(principal: Principal, access: Access): void {
    if (principal.kind === 'anonymous') return;
    const ingest = access === 'ingest';
    // A key's own limit applies when set (requests per second), else the server's.
    const own = principal.kind === 'key' ? principal.rateLimits?.[ingest ? 'ingest' : 'api'] : undefined;
    const rate = own ?? (ingest ? this.#config.rateLimitIngest : this.#config.rateLimitApi);
    const result = (ingest ? this.#ingestLimiter : this.#apiLimiter).take(
      `${principal.kind}:${principal.id}`,
      rate,
    );
    if (!result.ok) {
      throw new ArgusError(
        'RATE_LIMITED',
        `Rate limit exceeded: at most ${rate} ${ingest ? 'ingest' : 'API'} requests per second (bursts of ${rate * 2}) per ${principal.kind === 'key' ? 'API key' : 'user'}; retry after ${result.retryAfterSeconds} s`,
        { retryAfterSeconds: result.retryAfterSeconds },
      );
    }
  }

  /**
   * Checks a login; counts attempts per login name and per address.
   * @throws ArgusError RATE_LIMITED after too many attempts, UNAUTHORIZED on a wrong name or password.
   */
  async login(username: string, password: string, ip: string): Promise<UserRecord> {
    const perUser = this.#loginLimiter.take(
      `user:${username.toLowerCase()}`,
      LOGIN_PER_USER.rate,
      LOGIN_PER_USER.burst,
    );
    const perIp = this.#loginLimiter.take(`ip:${ip}`, LOGIN_PER_IP.rate, LOGIN_PER_IP.burst);
    if (!perUser.ok || !perIp.ok) {
      const retry = Math.max(
        perUser.ok ? 0 : perUser.retryAfterSeconds,
        perIp.ok ? 0 : perIp.retryAfterSeconds,
      );
      await this.#loginFailed(username, ip, 'rate limited');
      throw new ArgusError('RATE_LIMITED', `Too many sign-in attempts; try again in ${retry} s`, {
        retryAfterSeconds: retry,
      });
    }
    const found = await this.repos.users.findLogin(username);
    const ok = await verifyPassword(password, found?.passwordHash);
    if (!ok || !found) {
      await this.#loginFailed(username, ip, 'wrong username or password');
      throw new ArgusError('UNAUTHORIZED', 'Wrong username or password');
    }
    // Only failures count: a successful sign-in clears its name's count and gives back the
    // address's token (taken up front so that parallel guesses cannot all pass the check).
    this.#loginLimiter.reset(`user:${username.toLowerCase()}`);
    this.#loginLimiter.refund(`ip:${ip}`);
    return found.user;
  }

  /** Audits a refused sign-in (the name tried, never the password). */
  async #loginFailed(username: string, ip: string, reason: string): Promise<void> {
    await this.audit.record({
      actor: { type: 'anonymous', id: username, name: username },
      projectId: '',
      action: 'auth.login',
      target: username,
      details: { reason },
      ip,
      outcome: 'failure',
    });
  }
}

function forbidden(role: Role, projectId: string, access: Access, what?: string): ArgusError {
  return new ArgusError(
    'FORBIDDEN',
    `Your role on project '${projectId}' is ${role}; this needs ${roleNeeded(access)}${what ? ` (${what})` : ''}`,
  );
}

/** The project a request names: the x-argus-project header or the `project` query parameter. */
function requestedProject(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers[PROJECT_HEADER];
  const fromQuery = url.searchParams.get('project');
  url.searchParams.delete('project');
  const value = typeof header === 'string' && header ? header : (fromQuery ?? undefined);
  if (value === undefined || value === '') return undefined;
  if (value.length > 64) throw new ArgusError('INVALID_PARAMETER', 'Invalid project id: over 64 characters');
  return value;
}
