/**
 * A small method + path router for node:http. Paths are literal segments and `:param`
 * segments; handlers get the parsed URL, the params and the request, and return a
 * {@link Reply}. Keeping it this small keeps the ingest hot path free of framework overhead.
 */
import type { IncomingMessage } from 'node:http';

/** What a handler answers. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** A Buffer/string is sent as is; anything else as JSON. */
  body?: unknown;
}

/** What a handler receives. */
export interface RequestContext {
  request: IncomingMessage;
  url: URL;
  params: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/** Routes requests by method and path. */
export class Router {
  readonly #routes: Route[] = [];

  /** Registers a handler; `path` like `/api/v1/traces/:traceId`. */
  on(method: string, path: string, handler: Handler): this {
    this.#routes.push({ method, segments: path.split('/').filter(Boolean), handler });
    return this;
  }

  /**
   * Finds the route for a request.
   * @returns the handler and params, `'method'` when the path exists under another method, or undefined.
   */
  match(
    method: string,
    pathname: string,
  ): { handler: Handler; params: Record<string, string> } | 'method' | undefined {
    const parts = pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET'))
        return { handler: route.handler, params };
      pathMatched = true;
    }
    return pathMatched ? 'method' : undefined;
  }
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
