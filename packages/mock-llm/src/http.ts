/**
 * HTTP plumbing of the mock: JSON answers and server-sent events with a delay between chunks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** Largest request body the mock reads (embeddings of many inputs stay far below it). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Reads the whole request body as text; rejects past {@link MAX_BODY_BYTES}. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`Cannot read body: over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends `body` as JSON with `status` and extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** One server-sent event: an optional `event:` name and a JSON (or literal string) data line. */
export interface SseEvent {
  event?: string;
  data: unknown;
}

/**
 * Streams `events` as `text/event-stream`, waiting `chunkDelayMs` between events. Stops early
 * when the client goes away (a `break` in the app aborts the request).
 */
export async function sendSse(
  res: ServerResponse,
  events: Iterable<SseEvent>,
  chunkDelayMs: number,
  headers: Record<string, string> = {},
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  let first = true;
  for (const e of events) {
    if (res.destroyed || res.writableEnded) return;
    if (!first && chunkDelayMs > 0) await sleep(chunkDelayMs);
    first = false;
    const data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
    res.write(`${e.event === undefined ? '' : `event: ${e.event}\n`}data: ${data}\n\n`);
  }
  res.end();
}
