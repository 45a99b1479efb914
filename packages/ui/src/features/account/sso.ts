/** Single sign-on on the sign-in page: the start link and the failures in words. Pure. */

/** The failure codes of `/sign-in?error=` (server: auth/oidc-routes.ts). */
const MESSAGES: Record<string, string> = {
  sso_unavailable:
    'The sign-in provider cannot be reached, or single sign-on is not set up correctly. Try again later, or sign in with your password.',
  sso_state: 'The sign-in took too long, or was started in another tab or browser. Try again.',
  sso_denied:
    'The sign-in provider did not let you in: the sign-in was cancelled, or your account there has no access to Argus.',
  sso_invalid:
    "The sign-in provider's answer could not be verified. Try again; if it keeps failing, tell your administrator.",
  sso_email:
    'Your account at the sign-in provider has no verified e-mail address, which this server requires.',
  sso_domain: 'Your e-mail domain is not allowed to sign in to this server.',
  sso_conflict:
    'An Argus user with your e-mail address exists but cannot be linked to this sign-in. Ask an administrator.',
  sso_rate_limited: 'Too many failed sign-ins from your address. Wait a few minutes and try again.',
};

/** The failure code of a sign-in page URL (`/sign-in?error=sso_state`), if any. */
export function ssoErrorOf(pathname: string, search: string): string | undefined {
  if (pathname !== '/sign-in') return undefined;
  return new URLSearchParams(search).get('error') ?? undefined;
}

/** A failure code in words (an unknown code gets a general message). */
export function ssoErrorMessage(code: string): string {
  return MESSAGES[code] ?? 'Single sign-on failed. Try again, or sign in with your password.';
}

/** The link that starts single sign-on and comes back to `path` (`/` from the sign-in page itself). */
export function ssoStartHref(path: string): string {
  const returnTo = path.startsWith('/sign-in') ? '/' : path;
  return `/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`;
}
