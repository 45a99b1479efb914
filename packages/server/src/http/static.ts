/**
 * Serves the web console (the built `packages/ui/dist`) on the server's port: files by path
 * with their content type, hashed `assets/*` cached as immutable, gzip when the client accepts
 * it, and `index.html` for every other GET path so the console's client-side routes load.
 * API and OTLP paths never fall through to the console: an unknown one stays a JSON 404.
 * Before the console is built, `/` answers a page that says how to build it.
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ArgusError } from '../errors.ts';
import type { Reply, RequestContext, Router } from './router.ts';

/** Where the console is built in this repository: `packages/ui/dist`. */
export const DEFAULT_CONSOLE_DIR = path.resolve(import.meta.dirname, '../../../ui/dist');

/** Options of {@link registerConsole}. */
export interface ConsoleOptions {
  /** The console build: a folder holding `index.html` and `assets/`. */
  distDir: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.map',
  '.svg',
  '.txt',
  '.webmanifest',
]);
const MIN_GZIP_BYTES = 1024;
/** First path segments that belong to the API, ingest and operations routes, never to the console. */
const RESERVED = new Set(['api', 'v1', 'health', 'metrics', 'info', 'runs']);
const IMMUTABLE = 'public, max-age=31536000, immutable';
// Defense in depth for the console page: scripts and connections only from this origin.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

interface CachedFile {
  mtimeMs: number;
  size: number;
  body: Buffer;
  gzipped?: Buffer;
}

/** Registers the console as the GET fallback of the router (exact routes keep precedence). */
export function registerConsole(router: Router, options: ConsoleOptions): void {
  const distDir = path.resolve(options.distDir);
  const cache = new Map<string, CachedFile>();
  router.on('GET', '/*', 'public', (ctx) => serveConsole(ctx, distDir, cache));
}

async function serveConsole(
  ctx: RequestContext,
  distDir: string,
  cache: Map<string, CachedFile>,
): Promise<Reply> {
  const rest = ctx.params['*'] ?? '';
  const first = rest.split('/')[0] ?? '';
  // Case-insensitively: `/API/v1/...` is a mistyped API path, not a console page.
  if (RESERVED.has(first.toLowerCase()))
    throw new ArgusError('NOT_FOUND', `Cannot find '${ctx.url.pathname}': no such route`);
  const index = path.join(distDir, 'index.html');
  if (!isFile(index)) return notBuiltReply(distDir);
  let relative: string;
  try {
    relative = decodeURIComponent(rest);
  } catch {
    throw new ArgusError(
      'NOT_FOUND',
      `Cannot find '${ctx.url.pathname}': the path is not valid percent-encoding`,
    );
  }
  const file = path.resolve(distDir, relative);
  const isInside = file.startsWith(distDir + path.sep) && !relative.includes('\0');
  if (isInside && isFile(file)) return fileReply(ctx, file, relative.startsWith('assets/'), cache);
  // A path that names a file (has an extension) and is missing is a real 404, not a client route.
  if (path.extname(relative) !== '')
    return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found\n' };
  return fileReply(ctx, index, false, cache);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

async function fileReply(
  ctx: RequestContext,
  file: string,
  isHashed: boolean,
  cache: Map<string, CachedFile>,
): Promise<Reply> {
  const stats = statSync(file);
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const ext = path.extname(file).toLowerCase();
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'cache-control': isHashed ? IMMUTABLE : 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (ext === '.html') headers['content-security-policy'] = CSP;
  const isCompressible = COMPRESSIBLE.has(ext);
  if (isCompressible) headers.vary = 'accept-encoding';
  if (ctx.request.headers['if-none-match'] === etag) return { status: 304, headers };
  let cached = cache.get(file);
  if (!cached || cached.mtimeMs !== stats.mtimeMs || cached.size !== stats.size) {
    cached = { mtimeMs: stats.mtimeMs, size: stats.size, body: await readFile(file) };
    cache.set(file, cached);
  }
  if (
    isCompressible &&
    cached.body.length >= MIN_GZIP_BYTES &&
    acceptsGzip(ctx.request.headers['accept-encoding'])
  ) {
    cached.gzipped ??= gzipSync(cached.body, { level: 9 });
    headers['content-encoding'] = 'gzip';
    return { status: 200, headers, body: cached.gzipped };
  }
  return { status: 200, headers, body: cached.body };
}

/** True when an Accept-Encoding header allows gzip (`gzip`, `*`, without `q=0`). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const entry of value.toLowerCase().split(',')) {
    const [coding = '', ...params] = entry.trim().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

function notBuiltReply(distDir: string): Reply {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Argus — console not built</title>
<style>body{font:15px/1.6 system-ui,sans-serif;max-width:640px;margin:12vh auto;padding:0 20px;color:#222;background:#fafafa}
code,pre{font:13px ui-monospace,Menlo,monospace}pre{background:#f0f0f3;padding:10px 14px;border-radius:6px}</style></head>
<body><h1>The Argus console has not been built</h1>
<p>The server is running and receiving telemetry, but the web console's files are missing from
<code>${escapeHtml(distDir)}</code>. Build them once, then reload this page:</p>
<pre>npm run build -w packages/ui</pre>
<p><code>npm start</code> builds the console automatically when it is missing. The API is available meanwhile at
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></body></html>
`;
  return {
    status: 503,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '10' },
    body: html,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
