import { describe, expect, it } from 'vitest';
import {
  formatParams,
  formatRoute,
  parseParams,
  parseRoute,
  patchParams,
  type Route,
  sharedParams,
} from './url-state.ts';

const roundTrip = (url: string) => {
  const [path = '/', search = ''] = url.split('?');
  return formatRoute(parseRoute(path, search));
};

describe('url state codec', () => {
  it.each([
    ['/', { page: 'overview', params: {} }],
    ['/traces', { page: 'traces', params: {} }],
    [
      '/traces/4bf92f3577b34da6a3ce929d0e0e4736',
      { page: 'trace', id: '4bf92f3577b34da6a3ce929d0e0e4736', params: {} },
    ],
    ['/sessions/chat%2F42', { page: 'session', id: 'chat/42', params: {} }],
    ['/users', { page: 'users', params: {} }],
    ['/models', { page: 'models', params: {} }],
    ['/costs', { page: 'costs', params: {} }],
    ['/settings', { page: 'settings', params: {} }],
    // The settings section is the route's id; an unknown one is the settings page's to explain.
    ['/settings/keys', { page: 'settings', id: 'keys', params: {} }],
    ['/accept-invite', { page: 'accept-invite', params: {} }],
    ['/datasets', { page: 'datasets', params: {} }],
    ['/datasets/ds-1', { page: 'dataset', id: 'ds-1', params: {} }],
    ['/experiments', { page: 'experiments', params: {} }],
    ['/experiments/ex-1', { page: 'experiment', id: 'ex-1', params: {} }],
    // `compare` is a page of its own, never read as an experiment id.
    ['/experiments/compare', { page: 'compare', params: {} }],
    ['/nope', { page: 'notfound', params: {} }],
    ['/traces/a/b', { page: 'notfound', params: {} }],
  ])('parses the path %s', (path, expected) => {
    expect(parseRoute(path, '')).toEqual(expected);
  });

  it('round-trips every parameter in canonical order', () => {
    const route: Route = {
      page: 'traces',
      params: {
        view: 'spans',
        from: '2026-11-14T10:00:00.000Z',
        to: '2026-11-14T11:00:00.000Z',
        service: ['chat-api', 'rag worker'],
        environment: ['prod'],
        model: ['gpt-4o', 'claude-3-5-sonnet'],
        provider: ['openai'],
        kind: ['llm'],
        status: 'error',
        userId: 'user 1&2',
        sessionId: 's-1',
        tag: 'beta',
        q: 'refund invoice',
        minDurationMs: 500,
        maxDurationMs: 9000,
        minCostUsd: 0.01,
        cols: ['time', 'name', 'cost'],
        sort: 'cost:desc',
        live: true,
        span: 'eee19b7ec3c1b174',
        tab: 'raw',
      },
    };
    const url = formatRoute(route);
    expect(url.startsWith('/traces?view=spans&from=')).toBe(true);
    const [path = '', search = ''] = url.split('?');
    const { live, ...withoutLive } = route.params;
    // live tail and custom ranges are both kept; the parse gives back exactly what was formatted
    expect(parseRoute(path, search)).toEqual({ page: 'traces', params: { ...withoutLive, live } });
    expect(roundTrip(url)).toBe(url);
  });

  it('is stable whatever order the query came in', () => {
    expect(roundTrip('/traces?q=x&model=b&range=1h&model=a')).toBe('/traces?range=1h&model=b&model=a&q=x');
  });

  it('accepts comma lists for repeatable filters and removes duplicates', () => {
    expect(parseParams(new URLSearchParams('model=a,b&model=b&service=')).model).toEqual(['a', 'b']);
    expect(parseParams(new URLSearchParams('service=')).service).toBeUndefined();
  });

  it.each([
    ['range=99y', {}],
    ['status=broken', {}],
    ['view=tables', {}],
    ['minDurationMs=-5&maxDurationMs=abc', {}],
    ['from=2026-11-14T11:00:00Z&to=2026-11-14T10:00:00Z', {}],
    ['from=2026-11-14T10:00:00Z', {}],
    ['live=yes', {}],
    ['unknown=1', {}],
  ])('drops the malformed %s', (search, expected) => {
    expect(parseParams(new URLSearchParams(search))).toEqual(expected);
  });

  it('lets a custom range win over a preset', () => {
    expect(
      parseParams(new URLSearchParams('range=1h&from=2026-11-14T10:00:00Z&to=2026-11-14T11:00:00Z')),
    ).toEqual({
      from: '2026-11-14T10:00:00Z',
      to: '2026-11-14T11:00:00Z',
    });
  });

  it('round-trips the compare view and the experiments of one dataset', () => {
    expect(roundTrip('/experiments/compare?candidate=b&baseline=a')).toBe(
      '/experiments/compare?baseline=a&candidate=b',
    );
    expect(roundTrip('/experiments?dataset=ds-1')).toBe('/experiments?dataset=ds-1');
    expect(roundTrip('/datasets/ds-1?q=6%2B6')).toBe('/datasets/ds-1?q=6%2B6');
  });

  it('patches and removes parameters', () => {
    const params = patchParams({ model: ['a'], q: 'x' }, { q: undefined, status: 'error', model: [] });
    expect(params).toEqual({ status: 'error' });
    expect(formatParams(params)).toBe('status=error');
  });

  it('carries only the time range and global filters from page to page', () => {
    expect(sharedParams({ range: '1h', model: ['a'], q: 'x', span: 's', userId: 'u' })).toEqual({
      range: '1h',
      model: ['a'],
    });
  });
});
