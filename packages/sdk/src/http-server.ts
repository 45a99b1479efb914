/**
 * SERVER spans for incoming HTTP requests: an Express-style middleware (also usable on a plain
 * `node:http` handler) and a Fastify plugin. Both continue the caller's trace from its
 * `traceparent` header and run the handler inside the span, so spans it starts are children.
 * Duck-typed: no dependency on express or fastify.
 */
import {
  type Context,
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { safely } from './diagnostics.ts';
import { extractContext, type HeaderInput } from './propagation.ts';
import { getTracer } from './tracer.ts';

/** The parts of a Node/Express request that are read. */
export interface RequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  baseUrl?: string;
  headers: HeaderInput;
  httpVersion?: string;
  socket?: { encrypted?: boolean; remoteAddress?: string };
  route?: { path?: unknown };
}

/** The parts of a Node/Express response that are read. */
export interface ResponseLike {
  statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

function header(headers: HeaderInput, name: string): string | undefined {
  if (headers === undefined || headers instanceof Headers || Array.isArray(headers)) return undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Starts the SERVER span of `req`, child of the context its headers carry. */
function startServerSpan(req: RequestLike): { span: Span; ctx: Context } {
  const method = (req.method ?? 'GET').toUpperCase();
  const target = req.originalUrl ?? req.url ?? '/';
  const at = target.indexOf('?');
  const attributes: Record<string, string | number> = {
    'http.request.method': method,
    'url.path': at < 0 ? target : target.slice(0, at),
    'url.scheme': req.socket?.encrypted ? 'https' : 'http',
  };
  if (at >= 0) attributes['url.query'] = target.slice(at + 1);
  const host = header(req.headers, 'host');
  if (host !== undefined) attributes['server.address'] = host.replace(/:\d+$/, '');
  const agent = header(req.headers, 'user-agent');
  if (agent !== undefined) attributes['user_agent.original'] = agent;
  if (req.httpVersion !== undefined) attributes['network.protocol.version'] = req.httpVersion;
  // From the root: a request's parent is its caller, never whatever context the socket inherited.
  const parent = extractContext(req.headers, ROOT_CONTEXT);
  const span = getTracer().startSpan(method, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/** Ends a server span with the response status (5xx is an error) and the route when known. */
function endServerSpan(span: Span, method: string, status: number, route: string | undefined): void {
  safely(
    'end a server span',
    () => {
      span.setAttribute('http.response.status_code', status);
      if (route !== undefined && route !== '') {
        span.setAttribute('http.route', route);
        span.updateName(`${method.toUpperCase()} ${route}`);
      }
      if (status >= 500) {
        span.setAttribute('error.type', String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
    undefined,
  );
}

/**
 * Express middleware (`app.use(argusExpress())`), or for `node:http`:
 * `argusExpress()(req, res, () => handler(req, res))`. Calls `next` exactly once, inside the span.
 */
export function argusExpress(): (
  req: RequestLike,
  res: ResponseLike,
  next: (error?: unknown) => void,
) => void {
  return (req, res, next) => {
    const started = safely(
      'start a server span',
      () => {
        const { span, ctx } = startServerSpan(req);
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          const route =
            typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : undefined;
          endServerSpan(span, req.method ?? 'GET', res.statusCode, route);
        };
        res.once('finish', end);
        res.once('close', end);
        return ctx;
      },
      undefined,
    );
    if (started === undefined) next();
    else context.with(started, next);
  };
}

/** The parts of a Fastify request that are read. */
interface FastifyRequestLike {
  raw: RequestLike;
  routeOptions?: { url?: string };
  routerPath?: string;
}

/** The parts of a Fastify instance that are used. */
export interface FastifyLike {
  addHook(name: string, hook: (...args: never[]) => unknown): unknown;
}

type Done = () => void;

/**
 * A Fastify plugin (`await app.register(argusFastify())`) giving every request a SERVER span;
 * register it before the routes. Handlers run inside the span; errors are recorded.
 */
export function argusFastify(): (instance: FastifyLike, options: unknown, done: Done) => void {
  const spans = new WeakMap<object, { span: Span; ctx: Context }>();
  const plugin = (instance: FastifyLike, _options: unknown, done: Done) => {
    instance.addHook('onRequest', (request: FastifyRequestLike, _reply: unknown, next: Done) => {
      const started = safely('start a server span', () => startServerSpan(request.raw), undefined);
      if (started === undefined) return next();
      spans.set(request, started);
      context.with(started.ctx, next);
    });
    instance.addHook(
      'onError',
      (request: FastifyRequestLike, _reply: unknown, error: unknown, next: Done) => {
        const entry = spans.get(request);
        if (entry !== undefined) {
          safely(
            'record a request error',
            () => entry.span.recordException(error instanceof Error ? error : String(error)),
            undefined,
          );
        }
        next();
      },
    );
    instance.addHook(
      'onResponse',
      (request: FastifyRequestLike, reply: { statusCode: number }, next: Done) => {
        const entry = spans.get(request);
        if (entry !== undefined) {
          spans.delete(request);
          const route = request.routeOptions?.url ?? request.routerPath;
          endServerSpan(entry.span, request.raw.method ?? 'GET', reply.statusCode, route);
        }
        next();
      },
    );
    // Fastify resumes handlers from stream callbacks, outside the onRequest context: run each
    // handler inside its request's span (the documented way to change a route at registration).
    instance.addHook('onRoute', (route: { handler?: (...args: unknown[]) => unknown }) => {
      const handler = route.handler;
      if (typeof handler !== 'function') return;
      route.handler = function (this: unknown, request: unknown, ...rest: unknown[]) {
        const entry = typeof request === 'object' && request !== null ? spans.get(request) : undefined;
        return entry === undefined
          ? handler.call(this, request, ...rest)
          : context.with(entry.ctx, handler, this, request, ...rest);
      };
    });
    done();
  };
  // Fastify's documented opt-out of encapsulation (what fastify-plugin sets): hooks apply app-wide.
  Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: '@argus/sdk',
  });
  return plugin;
}
