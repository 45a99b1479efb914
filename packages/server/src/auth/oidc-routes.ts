/**
 * Single sign-on with OpenID Connect (docs/security.md#single-sign-on-oidc): two public browser
 * routes. `start` sends the browser to the provider with state, nonce and a PKCE challenge, kept
 * in a sealed 10-minute cookie; `callback` checks them, exchanges the code, validates the ID
 * token, finds or creates the user (oidc-accounts.ts), starts a console session like the
 * password sign-in and sends the browser back to where it was. Every failure lands on
 * `/sign-in?error=<code>` (the console explains the code) and is audited as a failed `auth.login`.
 */
import type { IncomingMessage } from 'node:http';
import type { Reply, Router } from '../http/router.ts';
import type { Logger } from '../logger.ts';
import { cookieOf } from './credentials.ts';
import type { IdentityRepository } from './identity-repository.ts';
import {
  type OidcAccountResult,
  type OidcProfile,
  type OidcRefusal,
  resolveOidcUser,
} from './oidc-accounts.ts';
import { OidcClient } from './oidc-client.ts';
import {
  callbackUriOf,
  OIDC_CALLBACK_PATH,
  OIDC_COOKIE,
  OIDC_TRANSACTION_SECONDS,
  openTransaction,
  safeReturnTo,
  sealTransaction,
  stateMatches,
  transactionCookie,
} from './oidc-transaction.ts';
import { RateLimiter } from './rate-limit.ts';
import { type AuthRouteDeps, startSession } from './routes.ts';
import type { SecretBox } from './secret-box.ts';
import { randomToken } from './secrets.ts';
import type { AuthService } from './service.ts';

/** The codes of `/sign-in?error=`, documented in docs/api.md and explained by the console. */
export type OidcErrorCode =
  | OidcRefusal['code']
  | 'sso_unavailable'
  | 'sso_state'
  | 'sso_denied'
  | 'sso_invalid'
  | 'sso_rate_limited';

/** What the single sign-on routes need. */
export interface OidcRouteDeps extends AuthRouteDeps {
  secretBox: SecretBox;
  identities: IdentityRepository;
  logger: Logger;
}

/** Failed callbacks per address: 30, refilled over 15 minutes (as password sign-ins). */
const FAILURES_PER_IP = { burst: 30, rate: 30 / 900 };

/** Audits a refused sign-in and sends the browser to the sign-in page with the code. */
type Refuse = (request: IncomingMessage, code: OidcErrorCode, reason: string, who?: string) => Promise<Reply>;

/** A configured single sign-on: its provider client, failure counts and refusal. */
interface OidcFlow {
  deps: OidcRouteDeps;
  oidc: OidcClient;
  failures: RateLimiter;
  refuse: Refuse;
}

/** Registers `GET /api/v1/auth/oidc/start` and `/callback` (they answer "unavailable" when SSO is off). */
export function registerOidcRoutes(router: Router, deps: OidcRouteDeps): void {
  const { config } = deps;
  const oidc =
    config.oidcIssuer && config.oidcClientId
      ? new OidcClient({
          issuer: config.oidcIssuer,
          clientId: config.oidcClientId,
          clientSecret: config.oidcClientSecret,
        })
      : undefined;
  const failures = new RateLimiter({ maxKeys: 10_000 });
  const refuse = refuser(deps, failures);
  const flow: OidcFlow | undefined = oidc ? { deps, oidc, failures, refuse } : undefined;
  const unavailable = (request: IncomingMessage) =>
    refuse(request, 'sso_unavailable', 'single sign-on is not configured');

  router.on('GET', '/api/v1/auth/oidc/start', 'public', ({ request, url }) =>
    flow ? startSignIn(flow, request, url) : unavailable(request),
  );
  router.on('GET', OIDC_CALLBACK_PATH, 'public', ({ request, url }) =>
    flow ? finishSignIn(flow, request, url) : unavailable(request),
  );
}

/** The Set-Cookie that ends the sign-in transaction. */
function clearCookie(auth: AuthService, request: IncomingMessage): string {
  return transactionCookie('', { secure: auth.isHttps(request), maxAgeSeconds: 0 });
}

/** The refusal of this server's single sign-on: counted per address (but rate-limit refusals), audited. */
function refuser(deps: OidcRouteDeps, failures: RateLimiter): Refuse {
  const { auth } = deps;
  return async (request, code, reason, who) => {
    const ip = auth.ipOf(request);
    if (code !== 'sso_rate_limited') failures.take(`ip:${ip}`, FAILURES_PER_IP.rate, FAILURES_PER_IP.burst);
    await auth.audit.record({
      actor: { type: 'anonymous', id: who ?? 'sso', name: who ?? 'single sign-on' },
      projectId: '',
      action: 'auth.login',
      target: who ?? '',
      details: { method: 'oidc', reason },
      ip,
      outcome: 'failure',
    });
    return {
      status: 302,
      headers: { location: `/sign-in?error=${code}`, 'cache-control': 'no-store' },
      setCookies: [clearCookie(auth, request)],
    };
  };
}

/** `start`: sends the browser to the provider, the checks sealed in the transaction cookie. */
async function startSignIn(flow: OidcFlow, request: IncomingMessage, url: URL): Promise<Reply> {
  const { deps, oidc, refuse } = flow;
  const { auth, config, secretBox, logger } = deps;
  // The callback URL registered with the provider.
  const redirectUri = callbackUriOf({
    publicUrl: config.publicUrl,
    host: request.headers.host,
    isHttps: auth.isHttps(request),
  });
  if (!redirectUri)
    return refuse(
      request,
      'sso_unavailable',
      `cannot build the redirect URI from Host '${clip(String(request.headers.host), 100)}'; set --public-url`,
    );
  const checks = { state: randomToken(32), nonce: randomToken(32), codeVerifier: randomToken(48) };
  let location: URL;
  try {
    location = await oidc.authorizationUrl({ redirectUri, checks });
  } catch (error) {
    logger.warn('oidc: cannot reach the provider', { issuer: oidc.issuer, error: describe(error) });
    return refuse(request, 'sso_unavailable', `cannot reach the provider: ${describe(error)}`);
  }
  const sealed = sealTransaction(secretBox, {
    ...checks,
    redirectUri,
    returnTo: safeReturnTo(url.searchParams.get('returnTo')),
    expiresAt: Date.now() + OIDC_TRANSACTION_SECONDS * 1000,
  });
  return {
    status: 302,
    headers: { location: location.href, 'cache-control': 'no-store' },
    setCookies: [
      transactionCookie(sealed, { secure: auth.isHttps(request), maxAgeSeconds: OIDC_TRANSACTION_SECONDS }),
    ],
  };
}

/**
 * `callback`: checks the transaction and the provider's answer, exchanges the code, resolves the
 * user and starts their session, then sends the browser back to where it was.
 */
async function finishSignIn(flow: OidcFlow, request: IncomingMessage, url: URL): Promise<Reply> {
  const { deps, oidc, failures, refuse } = flow;
  const { auth, config, secretBox, identities, logger } = deps;
  const limited = failures.peek(`ip:${auth.ipOf(request)}`, FAILURES_PER_IP.rate, FAILURES_PER_IP.burst);
  if (!limited.ok) return refuse(request, 'sso_rate_limited', 'rate limited');
  const transaction = openTransaction(secretBox, cookieOf(request.headers, OIDC_COOKIE));
  if (!transaction)
    return refuse(
      request,
      'sso_state',
      'no sign-in in progress in this browser, or it is over 10 minutes old',
    );
  if (!stateMatches(transaction, url.searchParams.get('state')))
    return refuse(request, 'sso_state', 'the state differs from the sign-in started in this browser');
  const providerError = url.searchParams.get('error');
  if (providerError !== null) {
    const description = url.searchParams.get('error_description');
    return refuse(
      request,
      'sso_denied',
      `the provider answered ${clip(providerError, 64)}${description ? `: ${clip(description, 200)}` : ''}`,
    );
  }
  // The library checks the response against the redirect URI the provider was given.
  const callbackUrl = new URL(transaction.redirectUri);
  callbackUrl.search = url.search;
  let profile: OidcProfile;
  try {
    profile = await oidc.signIn(callbackUrl, transaction);
  } catch (error) {
    const unreachable = isUnreachable(error);
    logger.warn('oidc: sign-in failed', { issuer: oidc.issuer, error: describe(error) });
    return refuse(
      request,
      unreachable ? 'sso_unavailable' : 'sso_invalid',
      `${unreachable ? 'cannot reach the provider' : 'the provider response is invalid'}: ${describe(error)}`,
    );
  }
  const who = profile.email ?? profile.subject;
  const result = await resolveOidcUser({ users: auth.repos.users, identities, config }, profile);
  if (!result.ok) return refuse(request, result.refusal.code, result.refusal.reason, who);
  failures.reset(`ip:${auth.ipOf(request)}`);
  if (result.how !== 'returning') await auditAccount(deps, request, result, profile);
  const signedIn = await startSession(deps, request, result.user, {
    method: 'oidc',
    issuer: profile.issuer,
    account: result.how,
  });
  return {
    status: 302,
    headers: { location: transaction.returnTo, 'cache-control': 'no-store' },
    setCookies: [signedIn.headers?.['set-cookie'], clearCookie(auth, request)].filter((c) => c !== undefined),
  };
}

/** Accounts made or linked by a sign-in are recorded like those an administrator makes. */
async function auditAccount(
  deps: OidcRouteDeps,
  request: IncomingMessage,
  result: Extract<OidcAccountResult, { ok: true }>,
  profile: OidcProfile,
): Promise<void> {
  const { auth, config } = deps;
  await auth.audit.record({
    actor: { type: 'system', id: 'oidc', name: 'single sign-on' },
    projectId: '',
    action: result.how === 'created' ? 'user.create' : 'user.link',
    target: result.user.username,
    details: {
      userId: result.user.id,
      isAdmin: result.user.isAdmin,
      issuer: profile.issuer,
      ...(result.how === 'created' && config.oidcDefaultRole !== 'none'
        ? { projects: [{ id: 'default', role: config.oidcDefaultRole }] }
        : {}),
    },
    ip: auth.ipOf(request),
  });
}

/** An error in one line, with its cause (openid-client puts the specifics there). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return clip(String(error), 300);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return clip(`${error.message}${cause}`, 300);
}

/** Network failures and timeouts, as opposed to answers the provider gave. */
function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  return error instanceof TypeError && error.message === 'fetch failed';
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
