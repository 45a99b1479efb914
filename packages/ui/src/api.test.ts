import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, requestJson, setCsrfToken, setRequestProject, setUnauthorizedHandler } from './api.ts';

/** Requests the wrapper made, and the answer each gets. */
let sent: { url: string; init: RequestInit }[];
let answer: () => Response;

beforeEach(() => {
  sent = [];
  answer = () => new Response('{"ok":true}', { status: 200 });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return answer();
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  setRequestProject(undefined);
  setCsrfToken(undefined);
  setUnauthorizedHandler(undefined);
});

const headersOf = (n: number) => (sent[n]?.init.headers ?? {}) as Record<string, string>;

describe('the fetch wrapper', () => {
  it('sends the selected project with every request, the CSRF token with unsafe ones only', async () => {
    setRequestProject('shop');
    setCsrfToken('csrf-1');
    await requestJson('/api/v1/traces');
    await requestJson('/api/v1/alerts/rules', { method: 'POST', body: { name: 'x' } });
    await requestJson('/api/v1/keys/k1', { method: 'DELETE' });
    expect(headersOf(0)).toEqual({ 'x-argus-project': 'shop' });
    expect(headersOf(1)).toEqual({
      'content-type': 'application/json',
      'x-argus-project': 'shop',
      'x-argus-csrf': 'csrf-1',
    });
    expect(headersOf(2)).toEqual({ 'x-argus-project': 'shop', 'x-argus-csrf': 'csrf-1' });
  });

  it('sends neither header before the session is known (open mode, first load)', async () => {
    await requestJson('/api/v1/auth/me', { isSignIn: true });
    expect(headersOf(0)).toEqual({});
  });

  it('tells the gate about a 401, except for sign-in calls whose 401 is an answer', async () => {
    const ended: ApiError[] = [];
    setUnauthorizedHandler((error) => ended.push(error));
    answer = () =>
      new Response(
        '{"error":{"code":"UNAUTHORIZED","message":"Your session has expired or ended; sign in again"}}',
        {
          status: 401,
        },
      );
    await expect(
      requestJson('/api/v1/auth/login', { method: 'POST', body: {}, isSignIn: true }),
    ).rejects.toThrow('Your session has expired');
    expect(ended).toEqual([]);
    await expect(requestJson('/api/v1/traces')).rejects.toBeInstanceOf(ApiError);
    expect(ended.map((e) => e.status)).toEqual([401]);
  });

  it('carries the Retry-After of a 429', async () => {
    answer = () =>
      new Response(
        '{"error":{"code":"RATE_LIMITED","message":"Too many sign-in attempts; try again in 42 s"}}',
        {
          status: 429,
          headers: { 'retry-after': '42' },
        },
      );
    const error = await requestJson('/api/v1/auth/login', { method: 'POST', body: {}, isSignIn: true }).catch(
      (e: unknown) => e as ApiError,
    );
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 42 });
  });
});
