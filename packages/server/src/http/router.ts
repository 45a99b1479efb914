/**
 * A small method + path router for node:http. Paths are literal segments and `:param`
 * segments, and may end in `*` (a fallback that matches any deeper path); handlers get the
 * parsed URL, the params and the request, and return a {@link Reply}. Every route declares its
 * access level where it is registered; the dispatcher authorizes a request by the level of the
 * route that matched (never by the raw path). Match canonical paths only (http/request-target.ts).
 * Keeping it this small keeps the ingest hot path free of framework overhead.
 */
import type { IncomingMessage } from 'node:http';
import type { Access } from '../auth/policy.ts';

/** What a handler answers. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Set-Cookie values, one header each (several cookies in one reply); `headers` holds at most one. */
  setCookies?: string[];
  /** A Buffer/string is sent as is; an AsyncIterable of strings/Buffers is streamed; anything else as JSON. */
  body?: unknown;
}

/** What a handler receives. */
export interface RequestContext {
  request: IncomingMessage;
  url: URL;
  params: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply;

/** A registered route as listed by {@link Router.routes}. */
export interface RouteInfo {
  method: string;
  /** The path as registered, e.g. `/api/v1/traces/:traceId` or `/*`. */
  path: string;
  access: Access;
}

/** What {@link Router.match} finds for a request. */
export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
  /** The matched route's declared access level. */
  access: Access;
}

interface Route extends RouteInfo {
  segments: string[];
  handler: Handler;
  /** The path ended in `*`: `segments` is a prefix and the rest goes to `params['*']`. */
  isFallback: boolean;
}

/** Routes requests by method and path. */
export class Router {
  readonly #routes: Route[] = [];

  /**
   * Registers a handler with the access level it needs (auth/policy.ts); `path` like
   * `/api/v1/traces/:traceId`. A path ending in `/*` is a fallback: it answers any path under its
   * prefix that no other route matches, for its method only (other methods on such paths stay
   * 404, not 405), with the rest in `params['*']`.
   */
  on(method: string, path: string, access: Access, handler: Handler): this {
    const segments = path.split('/').filter(Boolean);
    const isFallback = segments.at(-1) === '*';
    if (isFallback) segments.pop();
    this.#routes.push({ method, path, access, segments, handler, isFallback });
    return this;
  }

  /** Every registered route with its access level, in registration order. */
  routes(): RouteInfo[] {
    return this.#routes.map(({ method, path, access }) => ({ method, path, access }));
  }

  /**
   * Finds the route for a request.
   * @returns the handler and params, `'method'` when the path exists under another method, or undefined.
   */
  match(method: string, pathname: string): RouteMatch | 'method' | undefined {
    const parts = pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.#routes) {
      if (route.isFallback) continue;
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (isMethodOf(route, method)) return { handler: route.handler, params, access: route.access };
      pathMatched = true;
    }
    if (pathMatched) return 'method';
    for (const route of this.#routes) {
      if (!route.isFallback || !isMethodOf(route, method) || parts.length < route.segments.length) continue;
      const params = matchSegments(route.segments, parts.slice(0, route.segments.length));
      if (!params) continue;
      params['*'] = parts.slice(route.segments.length).join('/');
      return { handler: route.handler, params, access: route.access };
    }
    return undefined;
  }
}

function isMethodOf(route: Route, method: string): boolean {
  return route.method === method || (method === 'HEAD' && route.method === 'GET');
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const value = parts[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (p !== value) {
      return undefined;
    }
  }
  return params;
}
