/**
 * The provider's answer on its way to the caller: chunks are passed on as they arrive (never held
 * for the whole answer) while a copy is read for the span (sse.ts, answer-reader.ts). Two cases
 * change bytes: usage the gateway asked for (`stream_options.include_usage`) is taken out again
 * when the caller did not ask (the usage-only chunk and each chunk's `"usage": null`), and sampled
 * logprobs are taken out unless the caller asked. While a stream has sent no token yet, an SSE
 * comment every `keepAliveMs` keeps idle timeouts of load balancers from cutting it.
 */
import type { IncomingMessage } from 'node:http';
import type { AnswerReader } from './answer-reader.ts';
import { parseSseBlock, SseSplitter } from './sse.ts';

/** How an answer is relayed. */
export interface RelayOptions {
  response: IncomingMessage;
  isSse: boolean;
  reader: AnswerReader;
  stripUsage: boolean;
  stripLogprobs: boolean;
  keepAliveMs: number;
  /** Keep a copy of the bytes sent (for the cache) up to this many bytes; 0 = none. */
  keepBytes: number;
  onEnd(end: RelayEnd): void;
}

/** How a relay ended. */
export interface RelayEnd {
  /** The caller went away, or the provider's connection broke, before the end. */
  error: string | undefined;
  /** The bytes sent, when kept and within the bound. */
  sent: Buffer[] | undefined;
}

/** The SSE comment sent while a stream waits for its first token. */
export const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');
const MAX_READ_JSON_BYTES = 16 * 1024 * 1024;

const USAGE_ONLY = /"choices"\s*:\s*\[\s*\]/;
const USAGE_OBJECT = /"usage"\s*:\s*\{/;
const NULL_USAGE = /,\s*"usage"\s*:\s*null(?=\s*\}\s*$)/;

/**
 * An event with the added usage and the sampled logprobs taken out; undefined = drop the event.
 * Usage alone is taken out as text (the usage-only chunk, `"usage":null` at the end of each
 * chunk), without parsing every event; sampled logprobs need the JSON.
 */
function rewriteEvent(block: string, o: RelayOptions): string | undefined {
  if (o.stripUsage && !o.stripLogprobs) {
    if (USAGE_ONLY.test(block) && USAGE_OBJECT.test(block)) return undefined;
    return `${block.replace(NULL_USAGE, '')}\n\n`;
  }
  const { data } = parseSseBlock(block);
  if (data === '' || data === '[DONE]') return `${block}\n\n`;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return `${block}\n\n`;
  }
  if (o.stripUsage) {
    if (Array.isArray(json.choices) && json.choices.length === 0 && json.usage) return undefined;
    if (json.usage === null) delete json.usage;
  }
  if (o.stripLogprobs) stripChoiceLogprobs(json);
  return `data: ${JSON.stringify(json)}\n\n`;
}

/** Sets `choices[].logprobs` to null (what the provider sends when none were asked for). */
export function stripChoiceLogprobs(json: Record<string, unknown>): void {
  if (!Array.isArray(json.choices)) return;
  for (const choice of json.choices)
    if (typeof choice === 'object' && choice !== null && 'logprobs' in choice)
      (choice as Record<string, unknown>).logprobs = null;
}

/** Waits for a promise, or for `ms` (then resolves `undefined`). */
export function nextOrTimeout<T>(pending: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const tick = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([pending, tick]).finally(() => clearTimeout(timer));
}

/** An event kept to be read once the answer has ended. */
interface Held {
  block: string;
  at: number;
}

/**
 * The body of the caller's answer. Events are read inline only until the first token (the
 * keep-alive needs to know); the rest, and a JSON answer, are read once the answer has ended, and
 * `onEnd` runs on the next turn of the event loop — the caller's answer never waits for Argus.
 */
export async function* relay(o: RelayOptions): AsyncGenerator<Buffer | string> {
  const splitter = new SseSplitter();
  const rewrite = o.isSse && (o.stripUsage || o.stripLogprobs);
  const json: Buffer[] = [];
  let jsonBytes = 0;
  const held: Held[] = [];
  const sent: Buffer[] | undefined = o.keepBytes > 0 ? [] : undefined;
  let sentBytes = 0;
  let ended = false;
  let error: string | undefined;
  const iterator = o.response[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const keep = (chunk: Buffer | string) => {
    if (!sent) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    sentBytes += bytes.length;
    if (sentBytes <= o.keepBytes) sent.push(bytes);
  };
  let pending: Promise<IteratorResult<Buffer>> | undefined;
  try {
    pending = iterator.next();
    for (;;) {
      const waitForToken = o.isSse && o.reader.tokenTimes.length === 0 && !splitter.hasTail();
      const next = waitForToken ? await nextOrTimeout(pending, o.keepAliveMs) : await pending;
      if (next === undefined) {
        yield KEEP_ALIVE;
        continue;
      }
      if (next.done) break;
      pending = iterator.next();
      const chunk = next.value;
      if (!o.isSse) {
        if (jsonBytes + chunk.length <= MAX_READ_JSON_BYTES) json.push(chunk);
        jsonBytes += chunk.length;
        if (!o.stripLogprobs) {
          keep(chunk);
          yield chunk;
        }
        continue;
      }
      const at = performance.now();
      let out = '';
      for (const block of splitter.push(chunk.toString('utf8'))) {
        if (o.reader.tokenTimes.length === 0 && held.length === 0) readBlock(o.reader, block, at);
        else held.push({ block, at });
        if (rewrite) out += rewriteEvent(block, o) ?? '';
      }
      const piece = rewrite ? out : chunk;
      if (piece.length === 0) continue;
      keep(piece);
      yield piece;
    }
    const rest = o.isSse ? splitter.rest() : undefined;
    if (rest !== undefined) {
      held.push({ block: rest, at: performance.now() });
      if (rewrite) yield rest;
    }
    if (!o.isSse && o.stripLogprobs && jsonBytes <= MAX_READ_JSON_BYTES) {
      const text = Buffer.concat(json).toString('utf8');
      const parsed = parseJson(text);
      const body = parsed === undefined ? text : rewriteJson(parsed);
      keep(body);
      yield body;
    }
    ended = true;
  } catch (e) {
    error = `the provider's answer broke off: ${(e as Error).message}`;
    throw e;
  } finally {
    if (!ended) {
      error ??= 'the caller closed the connection before the answer ended';
      // The read in flight fails when the response is destroyed: nothing waits for it any more.
      pending?.catch(() => {});
      o.response.destroy();
    }
    const end: RelayEnd = { error, sent: sent && sentBytes <= o.keepBytes ? sent : undefined };
    setImmediate(() => finishReading(o, held, jsonBytes <= MAX_READ_JSON_BYTES ? json : undefined, end));
  }
}

/** Reads what was held back (events after the first token, a JSON answer), then ends the relay. */
function finishReading(
  o: RelayOptions,
  held: readonly Held[],
  json: Buffer[] | undefined,
  end: RelayEnd,
): void {
  for (const h of held) readBlock(o.reader, h.block, h.at);
  if (!o.isSse && json) {
    const parsed = parseJson(Buffer.concat(json).toString('utf8'));
    if (parsed !== undefined) o.reader.readJson(parsed);
  }
  o.onEnd(end);
}

function readBlock(reader: AnswerReader, block: string, at: number): void {
  const event = parseSseBlock(block);
  reader.readEvent(event.event, event.data, at);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function rewriteJson(json: Record<string, unknown>): string {
  stripChoiceLogprobs(json);
  return JSON.stringify(json);
}
