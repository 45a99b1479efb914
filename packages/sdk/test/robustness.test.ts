/**
 * The SDK never breaks the application (DESIGN.md principle 6): with Argus down, hanging, or
 * answering garbage, observed functions return their normal results, nothing throws or
 * rejects unhandled, flush() resolves, and the failures reach the diagnostic logger.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flush, init, observe, score, shutdown, withSession } from '../src/index.ts';

const servers: http.Server[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Endpoints that fail in different ways, by name. */
const endpoints: Record<string, string> = {};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  const closed = await listen(() => {});
  await new Promise<void>((resolve) => closed.server.close(() => resolve()));
  endpoints.down = closed.url;
  // Accepts the connection and the body, never answers.
  endpoints.hanging = (await listen((req) => req.resume())).url;
  endpoints.error500 = (
    await listen((req, res) => {
      req.resume();
      res.writeHead(500, { 'content-type': 'text/html' }).end('<html>oops</html>');
    })
  ).url;
  endpoints.garbage200 = (
    await listen((req, res) => {
      req.resume();
      res
        .writeHead(200, { 'content-type': 'application/x-protobuf' })
        .end(Buffer.from([0xff, 0x13, 0x37, 0x00, 0x99]));
    })
  ).url;
});
afterEach(async () => {
  await shutdown();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  for (const s of servers) s.closeAllConnections?.();
  for (const s of servers) s.close();
});

/** A small application workload whose results must be unaffected by export failures. */
async function workload(): Promise<unknown[]> {
  const results: unknown[] = [];
  results.push(observe('sync', () => 1));
  results.push(await observe('async', async () => 2, { kind: 'tool', input: { big: 'x'.repeat(100_000) } }));
  const gen = observe.wrap('gen', async function* () {
    yield 3;
  });
  for await (const n of gen()) results.push(n);
  results.push(
    await withSession('s', () => observe('retrieve', async () => [{ text: 'doc' }], { kind: 'retriever' })),
  );
  const boom = new Error('app error');
  try {
    observe('throws', () => {
      throw boom;
    });
  } catch (error) {
    results.push(error === boom);
  }
  for (let i = 0; i < 50; i++) observe(`bulk-${i}`, () => i);
  return results;
}

describe('never throws into the application', () => {
  it.each([
    // Connection refused: the exporter retries within its timeout, then gives up.
    ['down'],
    // Accepts and never answers: only the export timeout ends the request.
    ['hanging'],
    // A proxy error page: non-retryable status, body not protobuf.
    ['error500'],
    // A 200 whose body is not an OTLP response (a wrong server at the endpoint).
    ['garbage200'],
  ] as const)('Argus %s: results unchanged, flush resolves, failures logged', async (name) => {
    const messages: string[] = [];
    init({
      endpoint: endpoints[name],
      exportTimeoutMs: 300,
      maxQueueSize: 20,
      diagnostics: (message) => messages.push(message),
    });
    expect(await workload()).toEqual([1, 2, 3, [{ text: 'doc' }], true]);
    const started = Date.now();
    await expect(flush()).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    const result = await score({ traceId: 'a'.repeat(32), name: 'thumbs', value: 1 });
    expect(result).toMatchObject({ ok: false, error: expect.any(String) });
    await expect(shutdown()).resolves.toBeUndefined();
    if (name !== 'garbage200') expect(messages.some((m) => m.startsWith('Cannot export'))).toBe(true);
    expect(messages.some((m) => m.startsWith('Cannot send score'))).toBe(true);
    expect(unhandled).toEqual([]);
  });

  it('init() with invalid options falls back to defaults and reports them', async () => {
    const messages: string[] = [];
    const handle = init({
      endpoint: 'not a url',
      sampleRate: 5,
      maxQueueSize: -1,
      exportTimeoutMs: 200,
      maxContentChars: Number.NaN,
      diagnostics: (message) => messages.push(message),
    });
    expect(handle.mode).toBe('global');
    expect(observe('still-works', () => 'ok')).toBe('ok');
    expect(messages.join('\n')).toMatch(/Ignoring option endpoint 'not a url'/);
    expect(messages.join('\n')).toMatch(/Ignoring sampleRate 5/);
    expect(messages.join('\n')).toMatch(/Ignoring maxQueueSize -1/);
    expect(messages.join('\n')).toMatch(/Ignoring maxContentChars null/);
  });

  it('a throwing diagnostics function and invalid score input break nothing', async () => {
    init({
      endpoint: endpoints.down,
      exportTimeoutMs: 200,
      diagnostics: () => {
        throw new Error('logger broken');
      },
    });
    expect(observe('with-broken-logger', () => 'ok')).toBe('ok');
    await expect(flush()).resolves.toBeUndefined();
    await expect(score({ traceId: 'nope', name: 'x', value: 1 })).resolves.toMatchObject({
      ok: false,
      error: expect.stringContaining('traceId'),
    });
    await expect(score(null as never)).resolves.toMatchObject({ ok: false });
  });

  it('flush() and shutdown() resolve without init(), and init() twice returns the same handle', async () => {
    await expect(flush()).resolves.toBeUndefined();
    await expect(shutdown()).resolves.toBeUndefined();
    const first = init({ endpoint: endpoints.down, exportTimeoutMs: 200 });
    expect(init({ endpoint: endpoints.hanging })).toBe(first);
  });
});
