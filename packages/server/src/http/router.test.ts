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
    .on('GET', '/*', reply('console'))
    .on('GET', '/api/v1/traces', reply('traces'))
    .on('GET', '/api/v1/traces/:traceId', reply('trace'))
    .on('POST', '/v1/traces', reply('ingest'));

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
    const scoped = new Router().on('GET', '/docs/*', reply('docs'));
    expect(routed(scoped, 'GET', '/docs/a/b')).toEqual({ body: 'docs', params: { '*': 'a/b' } });
    expect(routed(scoped, 'GET', '/other')).toBeUndefined();
  });
});
