import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isArgusError } from '../errors.ts';
import { type Reply, Router } from './router.ts';
import { acceptsGzip, DEFAULT_CONSOLE_DIR, registerConsole } from './static.ts';

let root: string;
const BIG_JS = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'argus-static-'));
  const dist = path.join(root, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), BIG_JS);
  writeFileSync(path.join(dist, 'favicon.svg'), '<svg/>');
  writeFileSync(path.join(root, 'secret.txt'), 'secret');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function get(distDir: string, pathname: string, headers: Record<string, string> = {}): Promise<Reply> {
  const router = new Router();
  router.on('GET', '/api/v1/traces', 'read', () => ({ status: 200, body: { data: [] } }));
  registerConsole(router, { distDir });
  const match = router.match('GET', pathname);
  if (match === undefined || match === 'method') throw new Error(`no route for ${pathname}`);
  const url = new URL(pathname, 'http://localhost');
  return match.handler({ request: { headers } as never, url, params: match.params });
}

const text = (reply: Reply) => Buffer.from(reply.body as Buffer).toString('utf8');

describe('registerConsole', () => {
  it('points at packages/ui/dist by default', () => {
    expect(DEFAULT_CONSOLE_DIR.endsWith(path.join('packages', 'ui', 'dist'))).toBe(true);
  });

  it('answers a page saying how to build the console when it is missing', async () => {
    const reply = await get(path.join(root, 'nothing-here'), '/');
    expect(reply.status).toBe(503);
    expect(reply.headers?.['content-type']).toMatch(/text\/html/);
    expect(String(reply.body)).toContain('npm run build -w packages/ui');
  });

  it('serves index.html for / and for client routes, never cached, with a CSP', async () => {
    for (const pathname of ['/', '/traces', '/traces/4bf92f3577b34da6a3ce929d0e0e4736', '/sessions/a%20b']) {
      const reply = await get(path.join(root, 'dist'), pathname);
      expect(reply.status, pathname).toBe(200);
      expect(text(reply)).toContain('<div id="root">');
      expect(reply.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers?.['cache-control']).toBe('no-cache');
      expect(reply.headers?.['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('serves hashed assets as immutable, gzipped when accepted', async () => {
    const plain = await get(path.join(root, 'dist'), '/assets/index-abc123.js');
    expect(plain.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers?.['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers?.['content-encoding']).toBeUndefined();
    expect(text(plain)).toBe(BIG_JS);
    const gz = await get(path.join(root, 'dist'), '/assets/index-abc123.js', {
      'accept-encoding': 'br, gzip',
    });
    expect(gz.headers?.['content-encoding']).toBe('gzip');
    expect(gz.headers?.vary).toBe('accept-encoding');
    expect(gunzipSync(gz.body as Buffer).toString('utf8')).toBe(BIG_JS);
    expect((gz.body as Buffer).length).toBeLessThan(BIG_JS.length / 4);
  });

  it('answers 304 when the ETag matches', async () => {
    const first = await get(path.join(root, 'dist'), '/favicon.svg');
    expect(first.headers?.['content-type']).toBe('image/svg+xml');
    const again = await get(path.join(root, 'dist'), '/favicon.svg', {
      'if-none-match': first.headers?.etag ?? '',
    });
    expect(again.status).toBe(304);
  });

  it('answers 404 for a missing file rather than the page', async () => {
    const reply = await get(path.join(root, 'dist'), '/assets/missing-123.js');
    expect(reply.status).toBe(404);
  });

  it('never serves a file outside the build folder', async () => {
    for (const pathname of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const reply = await get(path.join(root, 'dist'), pathname);
      expect(text(reply), pathname).not.toContain('secret');
    }
  });

  // An unknown API path must stay a JSON 404 for API clients, not the console's HTML.
  it('keeps API and OTLP paths out of the console', async () => {
    for (const pathname of ['/api/v1/nope', '/v1/traces', '/api/public/otel/v1/traces', '/health/x']) {
      const error = await get(path.join(root, 'dist'), pathname).catch((e: unknown) => e);
      expect(isArgusError(error) && error.code, pathname).toBe('NOT_FOUND');
    }
    expect((await get(path.join(root, 'dist'), '/api/v1/traces')).body).toEqual({ data: [] });
  });
});

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['*', true],
    ['gzip;q=0', false],
    ['br', false],
    ['', false],
  ])('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
