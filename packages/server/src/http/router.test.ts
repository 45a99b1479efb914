import { describe, expect, it } from 'vitest';
import { Router } from './router.ts';

const reply = (body: string) => () => ({ status: 200, body });

function routed(router: Router, method: string, path: string) {
  const match = router.match(method, path);
  if (match === undefined || match === 'method') return match;
  return { body: (match.handler({} as never) as { body: string }).body, params: match.params };
}

describe('Router', () => {
  const router = new Router()
    .on('GET', '/*', 'public', reply('console'))
    .on('GET', '/api/v1/traces', 'read', reply('traces'))
    .on('GET', '/api/v1/traces/:traceId', 'read', reply('trace'))
    .on('POST', '/v1/traces', 'ingest', reply('ingest'));

  it('prefers an exact route over a fallback registered before it', () => {
    expect(routed(router, 'GET', '/api/v1/traces')).toEqual({ body: 'traces', params: {} });
    expect(routed(router, 'GET', '/api/v1/traces/abc')).toEqual({
      body: 'trace',
      params: { traceId: 'abc' },
    });
  });

  it('sends any other GET path to the fallback with the rest in params["*"]', () => {
    expect(routed(router, 'GET', '/')).toEqual({ body: 'console', params: { '*': '' } });
    expect(routed(router, 'GET', '/traces/abc/def')).toEqual({
      body: 'console',
      params: { '*': 'traces/abc/def' },
    });
    expect(routed(router, 'HEAD', '/assets/index.js')).toMatchObject({ body: 'console' });
  });

  it('still answers 405 for a known path under another method', () => {
    expect(routed(router, 'GET', '/v1/traces')).toBe('method');
  });

  // A fallback for GET must not turn every unknown POST into "method not allowed".
  it('leaves other methods on unknown paths unmatched', () => {
    expect(routed(router, 'POST', '/nowhere')).toBeUndefined();
    expect(routed(router, 'DELETE', '/')).toBeUndefined();
  });

  it('matches a fallback only under its prefix', () => {
    const scoped = new Router().on('GET', '/docs/*', 'public', reply('docs'));
    expect(routed(scoped, 'GET', '/docs/a/b')).toEqual({ body: 'docs', params: { '*': 'a/b' } });
    expect(routed(scoped, 'GET', '/other')).toBeUndefined();
  });

  // The dispatcher authorizes by the matched route's own level, so the level must travel with
  // the match, and a fallback's level must not leak onto exact routes or the reverse.
  it("answers the matched route's declared access level", () => {
    expect(router.match('GET', '/api/v1/traces/abc')).toMatchObject({ access: 'read' });
    expect(router.match('POST', '/v1/traces')).toMatchObject({ access: 'ingest' });
    expect(router.match('GET', '/traces/abc')).toMatchObject({ access: 'public' });
  });

  it('lists every registration with its level', () => {
    expect(router.routes()).toEqual([
      { method: 'GET', path: '/*', access: 'public' },
      { method: 'GET', path: '/api/v1/traces', access: 'read' },
      { method: 'GET', path: '/api/v1/traces/:traceId', access: 'read' },
      { method: 'POST', path: '/v1/traces', access: 'ingest' },
    ]);
  });
});
