/**
 * Turns handler replies and thrown errors into HTTP responses. Unknown errors become 500
 * INTERNAL with the cause logged, never leaked.
 */
import type { ServerResponse } from 'node:http';
import { ArgusError, isArgusError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Reply } from './router.ts';

/** A JSON answer that caches must not keep (API data is per caller and changes). */
export function noStore(body: unknown, status = 200): Reply {
  return { status, headers: { 'cache-control': 'no-store' }, body };
}

/**
 * Headers on every answer: browsers must take each body as the type it is sent with, never sniff
 * (a JSON error echoing a path, or a span's text, must not be run as a page or a script).
 */
const COMMON_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff' };

/** Writes a reply. Non-Buffer, non-string bodies are sent as JSON; async iterables are streamed. */
export function sendReply(response: ServerResponse, reply: Reply, isHead = false): void {
  if (isStreamBody(reply.body)) {
    streamReply(response, reply, reply.body, isHead);
    return;
  }
  const headers: Record<string, string | string[]> = { ...COMMON_HEADERS, ...(reply.headers ?? {}) };
  if (reply.setCookies?.length) headers['set-cookie'] = reply.setCookies;
  let payload: Buffer | string | undefined;
  if (reply.body === undefined) {
    payload = undefined;
  } else if (Buffer.isBuffer(reply.body) || typeof reply.body === 'string') {
    payload = reply.body;
  } else {
    payload = JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  response.writeHead(reply.status, headers);
  response.end(isHead ? undefined : payload);
}

function isStreamBody(body: unknown): body is AsyncIterable<string | Buffer> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/**
 * Streams chunks as they come (chunked encoding) with back-pressure. A failure mid-stream, or
 * the client going away, ends the iterable (its `finally` runs) and destroys the response.
 *
 * A plain loop, not `pipeline(Readable.from(body), response)`: with that pair every call's stream
 * objects outlived the young generation (~20 KB a call, measured through a 20-line server: 2 MB/s
 * promoted at 250 calls/s, none with the loop), so V8 grew it to 64 MB and each scavenge copied
 * ~9 MB — 12–20 ms pauses every 2 s, the gateway's p99 (docs/benchmarks.md).
 */
function streamReply(
  response: ServerResponse,
  reply: Reply,
  body: AsyncIterable<string | Buffer>,
  isHead: boolean,
): void {
  response.writeHead(reply.status, { ...COMMON_HEADERS, ...(reply.headers ?? {}) });
  if (isHead) {
    response.end();
    return;
  }
  void writeAll(response, body[Symbol.asyncIterator]());
}

async function writeAll(response: ServerResponse, iterator: AsyncIterator<string | Buffer>): Promise<void> {
  let gone = false;
  const onGone = () => {
    gone = true;
  };
  response.once('close', onGone);
  // A write to a connection that broke is reported here; the loop stops at the next check.
  response.on('error', onGone);
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      if (gone) break;
      if (!response.write(next.value)) await drained(response);
      if (gone) break;
    }
  } catch {
    response.destroy();
    return;
  } finally {
    response.off('close', onGone);
  }
  if (!gone) {
    response.end();
    return;
  }
  response.destroy();
  try {
    await iterator.return?.();
  } catch {
    // the iterable's own clean-up failed: nothing is left to answer
  }
}

/** Resolves when the response can take more, or is closed. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** The API error reply for any thrown value. */
export function errorReply(error: unknown, logger: Logger): Reply {
  const argus = isArgusError(error)
    ? error
    : new ArgusError('INTERNAL', 'Internal error; see the server log', { cause: error });
  if (!isArgusError(error))
    logger.error('request failed', { error: String((error as Error)?.stack ?? error) });
  // A store failure's engine text stays out of the answer; the log keeps it.
  else if (argus.status >= 500 && argus.cause !== undefined)
    logger.error('request failed', {
      code: argus.code,
      error: String((argus.cause as Error)?.message ?? argus.cause),
    });
  const headers: Record<string, string> = {};
  if (argus.retryAfterSeconds !== undefined) headers['retry-after'] = String(argus.retryAfterSeconds);
  if (argus.status === 401) headers['www-authenticate'] = 'Bearer realm="argus", charset="UTF-8"';
  return { status: argus.status, headers, body: { error: { code: argus.code, message: argus.message } } };
}
