import { describe, expect, it } from 'vitest';
import { ssoErrorMessage, ssoErrorOf, ssoStartHref } from './sso.ts';

describe('single sign-on on the sign-in page', () => {
  it('reads the failure code only on /sign-in', () => {
    expect(ssoErrorOf('/sign-in', '?error=sso_domain')).toBe('sso_domain');
    expect(ssoErrorOf('/sign-in', '')).toBeUndefined();
    // Why: another page's own `error` parameter is not a sign-in failure.
    expect(ssoErrorOf('/traces', '?error=sso_domain')).toBeUndefined();
  });

  it('explains every code the server sends, and anything else generally', () => {
    for (const code of [
      'sso_unavailable',
      'sso_state',
      'sso_denied',
      'sso_invalid',
      'sso_email',
      'sso_domain',
      'sso_conflict',
      'sso_rate_limited',
    ])
      expect(ssoErrorMessage(code)).not.toContain('Single sign-on failed');
    expect(ssoErrorMessage('<script>')).toBe(
      'Single sign-on failed. Try again, or sign in with your password.',
    );
  });

  it('comes back to the page the user was on, not to the sign-in page', () => {
    expect(ssoStartHref('/traces?model=gpt-4o')).toBe(
      '/api/v1/auth/oidc/start?returnTo=%2Ftraces%3Fmodel%3Dgpt-4o',
    );
    expect(ssoStartHref('/sign-in?error=sso_state')).toBe('/api/v1/auth/oidc/start?returnTo=%2F');
  });
});
