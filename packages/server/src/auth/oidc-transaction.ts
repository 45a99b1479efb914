/**
 * The state of one single sign-on between its start and the provider's callback — state, nonce,
 * PKCE verifier, redirect URI and where to go afterwards — kept in the browser in a cookie
 * sealed with the server's secret key (AES-256-GCM, auth/secret-box.ts): nothing to store, it
 * works across instances sharing the key, and it cannot be read or forged. The cookie binds the
 * callback to the browser that started the sign-in (login CSRF): a callback URL replayed in
 * another browser has no cookie, and one from another sign-in has another state.
 */
import { isLoopbackHost } from '../config.ts';
import type { SecretBox } from './secret-box.ts';
import { safeEqual } from './secrets.ts';

export const OIDC_COOKIE = 'argus_oidc';
export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';
/** Sent only to the callback (and set by the start, under the same path). */
export const OIDC_COOKIE_PATH = '/api/v1/auth/oidc';
/** A sign-in must come back from the provider within 10 minutes. */
export const OIDC_TRANSACTION_SECONDS = 600;
const SEALED_PREFIX = 'enc:v1:';
const PURPOSE = 'argus-oidc-1';

/** One sign-in in progress. */
export interface OidcTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string;
  /** Epoch ms after which the callback is refused. */
  expiresAt: number;
}

/** The sealed cookie value of a transaction. */
export function sealTransaction(box: SecretBox, transaction: OidcTransaction): string {
  return box.seal(JSON.stringify({ purpose: PURPOSE, ...transaction }));
}

/**
 * The transaction of a cookie value; undefined when it is missing, forged, sealed under another
 * key, of another purpose, malformed or expired.
 */
export function openTransaction(
  box: SecretBox,
  value: string | undefined,
  nowMs = Date.now(),
): OidcTransaction | undefined {
  // The box passes unsealed text through (older stored rows); a cookie must be sealed.
  if (!value?.startsWith(SEALED_PREFIX) || value.length > 4096) return undefined;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(box.open(value)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { purpose, state, nonce, codeVerifier, redirectUri, returnTo, expiresAt } = parsed;
  if (
    purpose !== PURPOSE ||
    typeof state !== 'string' ||
    typeof nonce !== 'string' ||
    typeof codeVerifier !== 'string' ||
    typeof redirectUri !== 'string' ||
    typeof returnTo !== 'string' ||
    typeof expiresAt !== 'number' ||
    nowMs >= expiresAt
  )
    return undefined;
  return { state, nonce, codeVerifier, redirectUri, returnTo: safeReturnTo(returnTo), expiresAt };
}

/** True when the callback's `state` is the transaction's (constant time). */
export function stateMatches(transaction: OidcTransaction, state: string | null): boolean {
  return state !== null && safeEqual(state, transaction.state);
}

/** The Set-Cookie value of a transaction (or of its removal, with an empty value and 0 s). */
export function transactionCookie(
  value: string,
  options: { secure: boolean; maxAgeSeconds: number },
): string {
  // Lax, not Strict: the callback is a top-level navigation coming from the provider's site.
  return `${OIDC_COOKIE}=${value}; Path=${OIDC_COOKIE_PATH}; HttpOnly; SameSite=Lax; Max-Age=${options.maxAgeSeconds}${options.secure ? '; Secure' : ''}`;
}

/**
 * Where to send the browser after signing in: a path of this server (`/traces?x=1#y`), never
 * another origin. Anything else — absolute URLs, `//host`, `/\host`, control characters — is `/`.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || value.length > 2048 || !value.startsWith('/')) return '/';
  // Browsers read `\` as `/` and drop tabs and newlines, so `/\evil` or `/\t/evil` would leave.
  if (/[\\\u0000-\u001f\u007f]/.test(value) || value.startsWith('//')) return '/';
  const base = 'http://argus.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  // The sign-in endpoints themselves would loop.
  if (url.pathname.startsWith('/api/v1/auth/oidc/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * The redirect URI: `<public-url>/api/v1/auth/oidc/callback`, or without a public URL (allowed
 * on loopback only, config.ts) built from the browser's Host — when that Host is loopback too:
 * anything else could send the provider's code to another server.
 * @returns undefined when no trustworthy URI can be built.
 */
export function callbackUriOf(input: {
  publicUrl: string | undefined;
  host: string | undefined;
  isHttps: boolean;
}): string | undefined {
  if (input.publicUrl) return `${input.publicUrl}${OIDC_CALLBACK_PATH}`;
  if (!input.host) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${input.host}`);
  } catch {
    return undefined;
  }
  // `127.0.0.1@evil.example` or `localhost/x` parse to another host or carry more than a host.
  if (!isLoopbackHost(url.hostname) || url.host !== input.host.toLowerCase()) return undefined;
  return `${input.isHttps ? 'https' : 'http'}://${url.host}${OIDC_CALLBACK_PATH}`;
}
