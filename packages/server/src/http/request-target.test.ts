import { describe, expect, it } from 'vitest';
import { isArgusError } from '../errors.ts';
import { canonicalUrl } from './request-target.ts';

describe('canonicalUrl', () => {
  it.each([
    // The bypass of issue 11: the router dropped empty segments while the policy read the raw path.
    ['/api/v1//admin/users', '/api/v1/admin/users'],
    ['//api/v1/keys', '/api/v1/keys'],
    ['/api/v1/keys/', '/api/v1/keys'],
    ['/api/v1///keys//', '/api/v1/keys'],
    ['/', '/'],
    ['//', '/'],
    ['', '/'],
    // Absolute-form (RFC 9112 §3.2.2): its path counts, its authority does not.
    ['http://127.0.0.1:4318//api/v1/admin/users', '/api/v1/admin/users'],
    ['HTTPS://example.com/v1/traces', '/v1/traces'],
    ['http://example.com', '/'],
    ['http://example.com?x=1', '/'],
    // Encoded slashes stay inside their segment; case is kept (paths are case-sensitive).
    ['/api%2Fv1/keys', '/api%2Fv1/keys'],
    ['/api/v1/sessions/a%2fb', '/api/v1/sessions/a%2fb'],
    ['/API/V1/KEYS', '/API/V1/KEYS'],
    // Dots inside a segment are ordinary characters.
    ['/assets/index.abc.js', '/assets/index.abc.js'],
    ['/api/v1/sessions/...', '/api/v1/sessions/...'],
  ])('%s → %s', (target, pathname) => {
    expect(canonicalUrl(target).pathname).toBe(pathname);
  });

  it('keeps the query string', () => {
    const url = canonicalUrl('//api/v1/traces/?limit=5&project=beta');
    expect(url.pathname).toBe('/api/v1/traces');
    expect(url.searchParams.get('project')).toBe('beta');
    expect(canonicalUrl('http://h//a?b=//c').search).toBe('?b=//c');
  });

  it.each([
    // Dot segments, plain and percent-encoded: resolving them is how traversal passes prefix checks.
    ['/api/v1/x/../admin/users', 'dot segments'],
    ['/api/v1/./keys', 'dot segments'],
    ['/api/v1/%2e%2e/admin/users', 'dot segments'],
    ['/api/v1/%2E/keys', 'dot segments'],
    ['/api/v1/.%2e/keys', 'dot segments'],
    ['http://h/api/../api/v1/keys', 'dot segments'],
    // URL parsers turn a backslash into a slash; we never see one as data.
    ['/api/v1\\admin/users', 'backslash'],
    ['/api/v1/keys#x', 'fragment'],
    ['ftp://host/api/v1/keys', "scheme 'ftp'"],
    ['*', "starts with '/'"],
    ['host:443', "starts with '/'"],
  ])('refuses %s (%s)', (target, reason) => {
    let caught: unknown;
    try {
      canonicalUrl(target);
    } catch (error) {
      caught = error;
    }
    expect(isArgusError(caught) && caught.code).toBe('BAD_REQUEST');
    expect((caught as Error).message).toContain(`Cannot route '${target}'`);
    expect((caught as Error).message).toContain(reason);
  });
});
