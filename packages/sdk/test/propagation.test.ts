/**
 * Trace context across services over loopback: service A calls B with tracedFetch, B runs its
 * handler under argusExpress() on plain node:http; both must share one trace with B's server
 * span a child of A's client span. Also the header helpers and the Fastify plugin.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import {
  argusExpress,
  argusFastify,
  extractContext,
  flush,
  init,
  injectHeaders,
  observe,
  shutdown,
  tracedFetch,
  withSession,
} from '../src/index.ts';
import { readTrace, spanNamed } from './support.ts';

let argus: TestServer;
const servers: http.Server[] = [];

/** Starts a loopback HTTP server; returns its base URL. */
async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  argus = await startTestServer();
  init({ endpoint: argus.url, serviceName: 'sdk-propagation-test', diagnostics: 'warn' });
});
afterAll(async () => {
  await shutdown();
  for (const s of servers) s.close();
  await argus?.stop();
});

describe('propagation', () => {
  it('keeps one trace across two services, B parented to A', async () => {
    const middleware = argusExpress();
    let seenTraceparent: string | undefined;
    const serviceB = await listen((req, res) => {
      seenTraceparent = req.headers.traceparent as string | undefined;
      middleware(req, res, () => {
        void observe('b-work', async () => {
          await new Promise((r) => setTimeout(r, 2));
          return 'from B';
        }).then((body) => {
          res.statusCode = 200;
          res.end(body);
        });
      });
    });
    const serviceA = await listen((req, res) =>
      middleware(req, res, () => {
        void observe('a-handle', async () => {
          const reply = await tracedFetch(`${serviceB}/work?x=1`);
          return reply.text();
        }).then((body) => res.end(body));
      }),
    );

    let traceId = '';
    const body = await observe('client', async (span) => {
      traceId = span.spanContext().traceId;
      const reply = await tracedFetch(`${serviceA}/ask`, { headers: { accept: 'text/plain' } });
      return reply.text();
    });
    expect(body).toBe('from B');
    expect(seenTraceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    await flush();
    const t = await readTrace(argus, traceId, 7);
    const aServer = t.spans.find((s) => s.attributes['url.path'] === '/ask')!;
    const aHandle = spanNamed(t, 'a-handle');
    expect(aServer.parentSpanId).toBe(
      t.spans.find((s) => String(s.attributes['url.full']).endsWith('/ask'))?.spanId,
    );
    expect(aHandle.parentSpanId).toBe(aServer.spanId);
    const clientSpans = t.spans.filter((s) => s.name === 'GET' && s.attributes['url.full'] !== undefined);
    const toB = clientSpans.find((s) => String(s.attributes['url.full']).includes('/work'))!;
    const bServer = t.spans.find((s) => s.attributes['url.path'] === '/work')!;
    const bWork = spanNamed(t, 'b-work');
    expect(new Set(t.spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    expect(toB.parentSpanId).toBe(aHandle.spanId);
    expect(bServer.parentSpanId).toBe(toB.spanId);
    expect(seenTraceparent).toContain(toB.spanId);
    expect(bWork.parentSpanId).toBe(bServer.spanId);
    expect(bServer).toMatchObject({ kind: 'http' });
    expect(bServer.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.query': 'x=1',
      'http.response.status_code': 200,
    });
  });

  it('starts a new trace when the caller sends no traceparent (control)', async () => {
    const middleware = argusExpress();
    let serverTraceId = '';
    const service = await listen((req, res) =>
      middleware(req, res, () => {
        serverTraceId = trace.getActiveSpan()?.spanContext().traceId ?? '';
        res.end('ok');
      }),
    );
    const clientTraceId = await observe('plain-client', async (span) => {
      await (await fetch(service)).text();
      return span.spanContext().traceId;
    });
    expect(serverTraceId).toMatch(/^[0-9a-f]{32}$/);
    expect(serverTraceId).not.toBe(clientTraceId);
  });

  it('injects into a copy of the headers and extracts them back', () => {
    const input = { 'content-type': 'application/json' };
    const { headers, spanId, traceId } = observe('inject', (span) => ({
      headers: injectHeaders(input),
      ...span.spanContext(),
    }));
    expect(input).toEqual({ 'content-type': 'application/json' });
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      traceparent: `00-${traceId}-${spanId}-01`,
    });
    const fromHeaders = injectHeaders(
      new Headers({ Accept: 'x' }),
      trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: 1 }),
    );
    expect(fromHeaders.accept).toBe('x');
    const extracted = trace.getSpanContext(extractContext({ TraceParent: headers.traceparent }));
    expect(extracted).toMatchObject({ traceId, spanId, isRemote: true });
    expect(trace.getSpanContext(extractContext({ traceparent: 'garbage' }))).toBeUndefined();
  });

  it('records failed fetches and re-throws their errors unchanged', async () => {
    const closed = await listen((_req, res) => res.end());
    servers.pop()?.close();
    await new Promise((r) => setTimeout(r, 20));
    let plainError: unknown;
    try {
      await fetch(closed);
    } catch (error) {
      plainError = error;
    }
    const traceId = await observe('failing-fetch', async (span) => {
      await expect(tracedFetch(closed)).rejects.toBeInstanceOf((plainError as Error).constructor);
      return span.spanContext().traceId;
    });
    const notFound = await listen((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    const response = await withSession('s-404', () => tracedFetch(notFound, { method: 'post', body: 'x' }));
    expect(response.status).toBe(404);
    await flush();
    const failed = (await readTrace(argus, traceId, 2)).spans.find((s) => s.name === 'GET')!;
    expect(failed.status).toBe('error');
    expect(failed.errorType).toBe((plainError as Error).constructor.name);
    // A root client span of its own (no active span), named after the method, 4xx = error.
    const spans = await argus.get<{ data: { traceId: string }[] }>('/api/v1/spans?sessionId=s-404');
    const post = spanNamed(await readTrace(argus, spans.data[0]!.traceId), 'POST');
    expect(post).toMatchObject({ parentSpanId: '', status: 'error', errorType: '404', sessionId: 's-404' });
    expect(post.attributes).toMatchObject({
      'http.response.status_code': 404,
      'http.request.method': 'POST',
    });
  });

  it('gives Fastify requests a server span, handlers run inside it, errors recorded', async () => {
    // A minimal Fastify-shaped host: the hook calling order is Fastify's (onRoute at
    // registration; onRequest → handler → onError → onResponse per request).
    const hooks: Record<string, ((...args: never[]) => unknown)[]> = {};
    const app = {
      addHook: (name: string, fn: (...args: never[]) => unknown) => {
        hooks[name] = [...(hooks[name] ?? []), fn];
      },
    };
    const plugin = argusFastify();
    plugin(app, {}, () => {});
    expect((plugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')]).toBe(true);
    const route: { url: string; handler: (req: unknown, reply: unknown) => unknown } = {
      url: '/items/:id',
      handler: () => observe('fastify-handler', (span) => span.spanContext().traceId),
    };
    for (const h of hooks.onRoute ?? []) (h as (r: typeof route) => void)(route);
    const call = (name: string, ...args: unknown[]) =>
      new Promise<void>((resolve) => (hooks[name]![0] as (...a: unknown[]) => void)(...args, resolve));

    const parent = { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16) };
    const request = {
      raw: {
        method: 'GET',
        url: '/items/7',
        headers: { traceparent: `00-${parent.traceId}-${parent.spanId}-01`, host: 'api.local:3000' },
      },
      routeOptions: { url: '/items/:id' },
    };
    const reply = { statusCode: 500 };
    await call('onRequest', request, reply);
    const handlerTraceId = await route.handler(request, reply);
    await call('onError', request, reply, new Error('handler failed'));
    await call('onResponse', request, reply);
    expect(handlerTraceId).toBe(parent.traceId);
    await flush();
    const t = await readTrace(argus, parent.traceId, 2);
    const server = spanNamed(t, 'GET /items/:id');
    expect(server).toMatchObject({ parentSpanId: parent.spanId, status: 'error', kind: 'http' });
    expect(server.attributes).toMatchObject({ 'http.route': '/items/:id', 'server.address': 'api.local' });
    expect(server.events.map((e) => e.name)).toContain('exception');
    expect(spanNamed(t, 'fastify-handler').parentSpanId).toBe(server.spanId);
  });
});
