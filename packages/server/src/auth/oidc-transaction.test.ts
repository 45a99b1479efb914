import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  callbackUriOf,
  type OidcTransaction,
  openTransaction,
  safeReturnTo,
  sealTransaction,
  stateMatches,
  transactionCookie,
} from './oidc-transaction.ts';
import { secretBox } from './secret-box.ts';

const box = secretBox(randomBytes(32));
const transaction: OidcTransaction = {
  state: 'state-1',
  nonce: 'nonce-1',
  codeVerifier: 'verifier-1',
  redirectUri: 'https://argus.example.com/api/v1/auth/oidc/callback',
  returnTo: '/traces?model=x',
  expiresAt: Date.now() + 600_000,
};

describe('safeReturnTo', () => {
  // Why each: a path of this server is kept whole; every spelling that a browser would read as
  // another origin, or that is not a path, becomes `/` (no open redirect after sign-in).
  it.each([
    ['/traces?model=gpt-4o#top', '/traces?model=gpt-4o#top'],
    ['/', '/'],
    ['/a/../settings', '/settings'],
    [null, '/'],
    ['', '/'],
    ['traces', '/'],
    ['https://evil.example/x', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/api/v1/auth/oidc/start', '/'],
    [`/${'a'.repeat(3000)}`, '/'],
  ])('%j → %j', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });
});

describe('the sealed sign-in cookie', () => {
  it('round-trips and checks the state in constant time', () => {
    const opened = openTransaction(box, sealTransaction(box, transaction));
    expect(opened).toEqual(transaction);
    expect(stateMatches(opened!, 'state-1')).toBe(true);
    expect(stateMatches(opened!, 'state-2')).toBe(false);
    expect(stateMatches(opened!, null)).toBe(false);
  });

  // Why each: a cookie the server did not seal for this purpose, or that is too old, is no sign-in.
  it.each([
    ['missing', () => undefined],
    ['plain JSON (the box passes unsealed text through)', () => JSON.stringify(transaction)],
    ['sealed under another key', () => sealTransaction(secretBox(randomBytes(32)), transaction)],
    [
      'with a flipped ciphertext byte',
      () => {
        const sealed = sealTransaction(box, transaction);
        const last = sealed.at(-2) === 'A' ? 'B' : 'A';
        return `${sealed.slice(0, -2)}${last}${sealed.at(-1)}`;
      },
    ],
    ['sealed by the box for another purpose', () => box.seal(JSON.stringify(transaction))],
    ['expired', () => sealTransaction(box, { ...transaction, expiresAt: Date.now() - 1 })],
  ])('refuses one %s', (_why, value) => {
    expect(openTransaction(box, value())).toBeUndefined();
  });

  it('is HttpOnly, SameSite=Lax (the callback comes from the provider), scoped to the SSO routes', () => {
    expect(transactionCookie('v', { secure: false, maxAgeSeconds: 600 })).toBe(
      'argus_oidc=v; Path=/api/v1/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600',
    );
    expect(transactionCookie('', { secure: true, maxAgeSeconds: 0 })).toMatch(/Max-Age=0; Secure$/);
  });
});

describe('callbackUriOf', () => {
  // Why each: the public URL wins; without it only a loopback Host may name the server, since
  // the provider sends the authorization code wherever this URI points.
  it.each([
    [
      'https://argus.example.com',
      'evil.example',
      false,
      'https://argus.example.com/api/v1/auth/oidc/callback',
    ],
    [undefined, '127.0.0.1:4318', false, 'http://127.0.0.1:4318/api/v1/auth/oidc/callback'],
    [undefined, 'localhost:4318', true, 'https://localhost:4318/api/v1/auth/oidc/callback'],
    [undefined, '[::1]:4318', false, 'http://[::1]:4318/api/v1/auth/oidc/callback'],
    [undefined, 'evil.example', false, undefined],
    [undefined, '127.0.0.1@evil.example', false, undefined],
    [undefined, 'localhost/evil', false, undefined],
    [undefined, undefined, false, undefined],
  ])('public URL %s, Host %s → %s', (publicUrl, host, isHttps, expected) => {
    expect(callbackUriOf({ publicUrl, host, isHttps })).toBe(expected);
  });
});
