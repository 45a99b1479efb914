/**
 * The caller's answer to a call whose attempts have run: the provider's status, headers and body,
 * relayed as they stream (relay.ts) with `x-argus-trace-id` and `x-argus-overhead-ms`. A stream
 * whose provider has not answered within `keepAliveMs` is answered 200 at once and kept alive with
 * SSE comments until the provider answers; a failure then arrives as an error event in the
 * provider's shape. A cached answer is replayed chunk by chunk.
 */
import type { IncomingMessage } from 'node:http';
import type { GatewaySettings } from '@argus/shared';
import type { Reply } from '../http/router.ts';
import { AnswerReader } from './answer-reader.ts';
import type { AttemptOutcome } from './attempts.ts';
import type { CachedAnswer } from './cache.ts';
import { MAX_CACHED_BYTES } from './cache.ts';
import { gatewayError } from './errors.ts';
import { type Call, finishCall } from './finish.ts';
import type { ProxyDeps } from './proxy-deps.ts';
import { KEEP_ALIVE, nextOrTimeout, relay } from './relay.ts';
import { parseSseBlock, SseSplitter } from './sse.ts';
import { responseHeaders } from './upstream.ts';

/** How the answer of a call is shaped. */
export interface AnswerPlan {
  call: Call;
  deps: ProxyDeps;
  settings: GatewaySettings;
  addUsage: boolean;
  sampleLogprobs: boolean;
  /** Set when the answer is to be cached. */
  cacheKey: string | undefined;
  /** The provider of the last candidate (for a call no provider answered). */
  provider: string;
}

/** The response that was relayed, as a reply. */
function relayed(
  plan: AnswerPlan,
  outcome: AttemptOutcome,
  response: IncomingMessage,
  overheadMs: number,
): Reply {
  const { call, deps, settings } = plan;
  const status = response.statusCode ?? 502;
  const isSse = String(response.headers['content-type'] ?? '').includes('text/event-stream');
  const reader = new AnswerReader(call.endpoint.operation);
  const headers = responseHeaders(response.headers);
  headers['x-argus-trace-id'] = call.context.traceId;
  headers['x-argus-overhead-ms'] = overheadMs.toFixed(3);
  // A body passed on unchanged (not an event stream, nothing stripped) keeps the provider's
  // Content-Length, as a transparent proxy should: the caller's answer then ends with its last
  // byte rather than with a chunked terminator written after it (measured: no latency change
  // beyond the noise of the development machine).
  const length = response.headers['content-length'];
  if (!isSse && !plan.sampleLogprobs && length !== undefined) headers['content-length'] = length;
  const provider = outcome.candidate?.connection.provider ?? plan.provider;
  const body = relay({
    response,
    isSse,
    reader,
    stripUsage: plan.addUsage,
    stripLogprobs: plan.sampleLogprobs,
    keepAliveMs: settings.keepAliveMs,
    keepBytes: plan.cacheKey !== undefined && status === 200 ? MAX_CACHED_BYTES : 0,
    onEnd: (end) => {
      const answer = reader.facts();
      const error =
        end.error ?? answer.streamError ?? (status >= 400 ? `the provider answered ${status}` : undefined);
      finishCall(call, deps, {
        status,
        provider,
        answer,
        error,
        attempts: outcome.attempts,
        overheadMs,
        tokenTimes: reader.tokenTimes,
        cached: false,
        logprobsSampled: plan.sampleLogprobs,
      });
      if (plan.cacheKey !== undefined && end.sent && error === undefined)
        deps.cache.set(
          plan.cacheKey,
          { status, headers: responseHeaders(response.headers), chunks: end.sent, isSse, provider },
          settings.cache.ttlSeconds,
          settings.cache.maxEntries,
        );
    },
  });
  return { status, headers, body };
}

/** The reply once the attempts have run. */
export function replyOf(plan: AnswerPlan, outcome: AttemptOutcome): Reply {
  const { call, deps } = plan;
  const overheadMs = performance.now() - call.t0 - outcome.waitedMs;
  if (outcome.response) return relayed(plan, outcome, outcome.response, overheadMs);
  const f = outcome.failure!;
  finishCall(call, deps, failedEnding(plan, outcome, f.message, f.status, overheadMs));
  return gatewayError(call.endpoint.dialect, f.status, f.code, f.message, {
    'x-argus-trace-id': call.context.traceId,
    'x-argus-overhead-ms': overheadMs.toFixed(3),
  });
}

function failedEnding(
  plan: AnswerPlan,
  outcome: AttemptOutcome | undefined,
  error: string,
  status: number,
  overheadMs: number,
) {
  return {
    status,
    provider: plan.provider,
    answer: undefined,
    error,
    attempts: outcome?.attempts ?? [],
    overheadMs,
    tokenTimes: [],
    cached: false,
    logprobsSampled: false,
  };
}

/** An SSE error event in the dialect's shape, from a provider's error body or a message. */
function errorEvent(plan: AnswerPlan, status: number, text: string): string {
  const isJson = text.trim().startsWith('{');
  if (plan.call.endpoint.dialect === 'anthropic') {
    const data = isJson
      ? text.trim()
      : JSON.stringify({ type: 'error', error: { type: 'api_error', message: text } });
    return `event: error\ndata: ${data}\n\n`;
  }
  const data = isJson
    ? text.trim()
    : JSON.stringify({ error: { message: text, type: 'server_error', param: null, code: String(status) } });
  return `data: ${data}\n\n`;
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= 64 * 1024) chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A stream whose attempts have not answered within `keepAliveMs`: 200 now, keep-alive comments
 * while the attempts run, then the provider's stream (or an error event).
 * @param overheadMs the gateway's time before the attempts started.
 */
export function earlyStream(plan: AnswerPlan, pending: Promise<AttemptOutcome>, overheadMs: number): Reply {
  const { call, deps, settings } = plan;
  const headers = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-argus-trace-id': call.context.traceId,
    'x-argus-overhead-ms': overheadMs.toFixed(3),
  };
  async function* body(): AsyncGenerator<Buffer | string> {
    let outcome: AttemptOutcome | undefined;
    try {
      while (outcome === undefined) {
        outcome = await nextOrTimeout(pending, settings.keepAliveMs);
        if (outcome === undefined) yield KEEP_ALIVE;
      }
      const { response } = outcome;
      const isSse = String(response?.headers['content-type'] ?? '').includes('text/event-stream');
      if (response && response.statusCode === 200 && isSse) {
        yield* relayed(plan, outcome, response, overheadMs).body as AsyncGenerator<Buffer | string>;
        return;
      }
      const status = response?.statusCode ?? outcome.failure?.status ?? 502;
      const text = response ? await readAll(response) : (outcome.failure?.message ?? 'no provider answered');
      finishCall(
        call,
        deps,
        failedEnding(plan, outcome, response ? `the provider answered ${status}` : text, status, overheadMs),
      );
      yield errorEvent(plan, status, text);
    } finally {
      if (outcome === undefined) {
        void pending.then((o) => o.response?.destroy());
        finishCall(
          call,
          deps,
          failedEnding(
            plan,
            undefined,
            'the caller closed the connection before the provider answered',
            499,
            overheadMs,
          ),
        );
      }
    }
  }
  return { status: 200, headers, body: body() };
}

/** A cached answer replayed chunk by chunk (a stream event by event), recorded as cached at no cost. */
export function replay(call: Call, hit: CachedAnswer, deps: ProxyDeps, cacheHeader: string): Reply {
  const overheadMs = performance.now() - call.t0;
  const headers: Record<string, string> = {
    ...hit.headers,
    'x-argus-trace-id': call.context.traceId,
    'x-argus-overhead-ms': overheadMs.toFixed(3),
    [cacheHeader]: 'hit',
  };
  if (!hit.isSse) headers['content-length'] = String(hit.chunks.reduce((n, chunk) => n + chunk.length, 0));
  async function* body(): AsyncGenerator<Buffer> {
    const reader = new AnswerReader(call.endpoint.operation);
    const splitter = new SseSplitter();
    for (const chunk of hit.chunks) {
      if (hit.isSse)
        for (const block of splitter.push(chunk.toString('utf8'))) {
          const event = parseSseBlock(block);
          reader.readEvent(event.event, event.data, performance.now());
        }
      yield chunk;
    }
    if (!hit.isSse) reader.readJson(JSON.parse(Buffer.concat(hit.chunks).toString('utf8')));
    finishCall(call, deps, {
      status: hit.status,
      provider: hit.provider,
      answer: reader.facts(),
      error: undefined,
      attempts: [],
      overheadMs,
      tokenTimes: reader.tokenTimes,
      cached: true,
      logprobsSampled: false,
    });
  }
  return { status: hit.status, headers, body: body() };
}
