/**
 * W3C trace context across processes: inject `traceparent`/`tracestate` into outgoing headers,
 * extract it from incoming ones, and a `fetch` that does the injecting inside a CLIENT span.
 * Uses the global propagator (`init()` installs the W3C one when none is set).
 */
import {
  type Context,
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import { safely } from './diagnostics.ts';
import { endWithError } from './span-result.ts';
import { getTracer } from './tracer.ts';

/** Headers in any of the shapes Node and fetch use. */
export type HeaderInput =
  | Headers
  | Readonly<Record<string, string | readonly string[] | number | undefined>>
  | readonly (readonly [string, string])[]
  | undefined;

type Carrier = Record<string, string | string[] | undefined>;

/** Header names are case-insensitive: the getter looks them up lower-cased. */
const getter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key.toLowerCase()],
};

/** A plain record of `headers`, names lower-cased when `lower`. */
function toRecord(headers: HeaderInput, lower: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, value: unknown) => {
    if (value === undefined || value === null) return;
    out[lower ? key.toLowerCase() : key] = Array.isArray(value) ? value.join(', ') : String(value);
  };
  if (headers === undefined || headers === null) return out;
  if (typeof Headers !== 'undefined' && headers instanceof Headers)
    headers.forEach((v, k) => {
      put(k, v);
    });
  else if (Array.isArray(headers)) for (const [k, v] of headers) put(k, v);
  else for (const [k, v] of Object.entries(headers)) put(k, v);
  return out;
}

/**
 * `headers` (copied, never modified) plus `traceparent`/`tracestate` for the active context,
 * so the service called continues this trace.
 * @example await fetch(url, { headers: injectHeaders({ 'content-type': 'application/json' }) });
 */
export function injectHeaders(
  headers?: HeaderInput,
  ctx: Context = context.active(),
): Record<string, string> {
  const out = safely('copy headers', () => toRecord(headers, false), {});
  safely('inject the trace context', () => propagation.inject(ctx, out), undefined);
  return out;
}

/**
 * The context carried by incoming `headers` (`traceparent`), on top of `base` (default: the
 * active context). Run work inside it with `context.with(extractContext(req.headers), fn)`.
 */
export function extractContext(headers: HeaderInput, base: Context = context.active()): Context {
  return safely(
    'extract the trace context',
    () => propagation.extract(base, toRecord(headers, true) as Carrier, getter),
    base,
  );
}

/** `url` without user and password (never recorded). */
function safeUrl(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/**
 * `fetch` in a CLIENT span whose context travels in the `traceparent` header; same arguments,
 * same result, same errors. Responses with status ≥ 400 mark the span as an error.
 * @example const res = await tracedFetch('http://billing/charge', { method: 'POST', body });
 */
export function tracedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const prepared = safely(
    'start a client span',
    () => {
      const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
      const url = new URL(request?.url ?? String(input));
      const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
      const span = getTracer().startSpan(method, {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method,
          'url.full': safeUrl(url),
          'server.address': url.hostname,
          'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        },
      });
      const ctx = trace.setSpan(context.active(), span);
      const headers = new Headers(init?.headers ?? request?.headers);
      propagation.inject(ctx, headers, { set: (carrier, key, value) => carrier.set(key, value) });
      return { span, ctx, init: { ...init, headers } };
    },
    undefined,
  );
  if (prepared === undefined) return fetch(input, init);
  const { span, ctx } = prepared;
  let pending: Promise<Response>;
  try {
    pending = context.with(ctx, () => fetch(input, prepared.init));
  } catch (error) {
    endWithError(span, error);
    throw error;
  }
  return pending.then(
    (response) => {
      safely(
        'record a response',
        () => {
          span.setAttribute('http.response.status_code', response.status);
          if (response.status >= 400) {
            span.setAttribute('error.type', String(response.status));
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        },
        undefined,
      );
      return response;
    },
    (error: unknown) => {
      endWithError(span, error);
      throw error;
    },
  );
}
